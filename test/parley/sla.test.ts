// SLA on Parley's clock, on both databases: a customer's unanswered message is ok, amber at 75 % of the
// 2-hour target and red at 2 h; the timers worker escalates once (priority urgent, the supervisor's socket
// hears sla.breached) — not again on another pass or after a restart — and an operator's reply clears it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimersWorker } from '../../src/workers/timers.js';
import { startHarness, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, customerWrites, put } from './assignment-steps.js';
import { connectLive, operator } from './live-steps.js';

const MIN = 60_000;

describe.each<DbKind>(['sqlite', 'postgres'])('SLA targets and escalation (%s)', (db) => {
  let h: Harness;
  let offset = 0;
  beforeAll(async () => { h = await startHarness({ db, now: () => Date.now() + offset }); });
  afterAll(async () => { await h?.close(); });

  const listItem = async (id: string) => {
    const res = await h.api.get('/api/v1/conversations?limit=200');
    return (res.body.items as Array<{ id: string; sla: unknown; priority: string; waitingSince: number | null }>).find((c) => c.id === id)!;
  };
  /** Moves Parley's clock to `ms` after `from`. */
  const at = (from: number, ms: number) => { offset = from + ms - Date.now(); };

  it('lets admins and API keys set the policy, with errors that name the field', async () => {
    const agent = await operator(h, 'agent');
    const got = await h.api.get('/api/v1/sla');
    expect(got.body).toEqual({
      default: { firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, businessHoursOnly: false, escalation: { raisePriority: false, notifyUserIds: [], reassignTeamId: null } },
      teams: [],
      businessHours: expect.objectContaining({ week: expect.objectContaining({ mon: [{ from: '09:00', to: '18:00' }], sun: [] }) }),
    });
    const body = { ...got.body, default: { ...got.body.default, amberPercent: 100 } };
    expect((await put(h, '/api/v1/sla', got.body, { cookie: agent.cookie })).status).toBe(403);
    expect((await put(h, '/api/v1/sla', body, apiKeyHeaders(h))).status).toBe(400);
    const ghost = { ...got.body, default: { ...got.body.default, escalation: { ...got.body.default.escalation, notifyUserIds: ['usr_nobody'] } } };
    const refused = await put(h, '/api/v1/sla', ghost, apiKeyHeaders(h));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('sla_user_invalid');
  });

  it('turns amber at 75 %, red at 2 h, escalates once, and clears on a reply', async () => {
    const supervisor = await operator(h, 'supervisor');
    const policy = {
      default: { firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, escalation: { raisePriority: true, notifyUserIds: [supervisor.id], reassignTeamId: null } },
      teams: [],
    };
    const saved = await put(h, '/api/v1/sla', policy, apiKeyHeaders(h));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // Sent without the business-hours fields (as before they existed): 24/7, the timetable as it was.
    expect(saved.body).toEqual({ ...policy, default: { ...policy.default, businessHoursOnly: false }, businessHours: expect.any(Object) });
    const live = await connectLive(h.parley.url, supervisor.cookie);

    const c = await customerWrites(h, '447400129901', 'Where is my order?');
    const since = (await listItem(c)).waitingSince!;
    expect(since).toEqual(expect.any(Number));
    const dueAt = since + 120 * MIN;

    at(since, 89 * MIN);
    expect((await listItem(c)).sla).toEqual({ status: 'ok', dueAt });
    expect((await h.api.get(`/api/v1/conversations/${c}`)).body.sla).toMatchObject({ dueAt });
    await h.parley.timers.runOnce();
    expect((await listItem(c)).priority).toBe('none');

    at(since, 90 * MIN);
    expect((await listItem(c)).sla).toEqual({ status: 'amber', dueAt });
    at(since, 120 * MIN + 1000);
    expect((await listItem(c)).sla).toEqual({ status: 'red', dueAt });

    await h.parley.timers.runOnce();
    expect((await listItem(c)).priority).toBe('urgent');
    await live.waitFor((e) => e.kind === 'sla.breached' && e.conversationId === c, 'sla.breached for the supervisor');

    // An operator lowers it again: neither another pass nor a restarted worker escalates this breach twice.
    expect((await h.api.patch(`/api/v1/conversations/${c}`, { priority: 'high' })).status).toBe(200);
    await h.parley.timers.runOnce();
    await new TimersWorker(h.parley.deps).runOnce();
    expect((await listItem(c)).priority).toBe('high');
    await new Promise((r) => setTimeout(r, 200));
    expect(live.events.filter((e) => e.kind === 'sla.breached' && e.conversationId === c)).toHaveLength(1);

    const contactId = (await h.api.get(`/api/v1/conversations/${c}`)).body.contactId as string;
    expect((await h.api.post('/api/v1/messages', { contactId, content: { type: 'text', body: 'On its way!' } })).status).toBe(202);
    const answered = await listItem(c);
    expect(answered.waitingSince).toBeNull();
    expect(answered.sla).toBeNull();
    await live.close();
  });
});
