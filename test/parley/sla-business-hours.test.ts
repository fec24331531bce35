// SLA in business hours on Parley's clock, on both databases: the timetable and the switch through
// GET/PUT /sla (bad hours refused with the day named), then a Friday-evening message with a 2-hour
// target in Moscow hours (Mon–Fri 09:00–18:00) stays ok all weekend — not red, not escalated by wall
// time — turns amber at Monday 10:30 and red at 11:00, when the timers worker escalates it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, customerWrites, put } from './assignment-steps.js';

const MIN = 60_000;
const H = 60 * MIN;
/** Friday 27 November 2026, 20:00 in Moscow (UTC+3). */
const FRIDAY_EVENING = Date.UTC(2026, 10, 27, 17, 0);
/** Monday 30 November, 09:00 in Moscow: the clock starts. */
const MONDAY_OPENING = Date.UTC(2026, 10, 30, 6, 0);

const open = [{ from: '09:00', to: '18:00' }];
const moscowHours = { timeZone: 'Europe/Moscow', week: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: [], sun: [] }, holidays: [] };
const escalation = { raisePriority: true, notifyUserIds: [], reassignTeamId: null };

describe.each<DbKind>(['sqlite', 'postgres'])('SLA in business hours (%s)', (db) => {
  let h: Harness;
  let offset = 0;
  beforeAll(async () => { h = await startHarness({ db, now: () => Date.now() + offset }); });
  afterAll(async () => { await h?.close(); });

  /** Moves Parley's clock to the instant `at`. */
  const clockAt = (at: number) => { offset = at - Date.now(); };
  const listItem = async (id: string) => {
    const res = await h.api.get('/api/v1/conversations?limit=200');
    return (res.body.items as Array<{ id: string; sla: { status: string; dueAt: number } | null; priority: string }>).find((c) => c.id === id)!;
  };

  it('shows the workspace zone and Mon–Fri 09:00–18:00 until saved, off by default, and names the day of a bad interval', async () => {
    const got = await h.api.get('/api/v1/sla');
    expect(got.status).toBe(200);
    expect(got.body.default.businessHoursOnly).toBe(false);
    expect(got.body.businessHours).toEqual({ ...moscowHours, timeZone: expect.any(String) });

    const backwards = { ...moscowHours, week: { ...moscowHours.week, tue: [{ from: '09:00', to: '13:00' }, { from: '18:00', to: '09:00' }] } };
    const refused = await put(h, '/api/v1/sla', { default: got.body.default, teams: [], businessHours: backwards }, apiKeyHeaders(h));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('business_hours_invalid');
    expect(refused.body.error.message).toContain('Tuesday, interval 2: 18:00–09:00 ends before it starts');
    expect(refused.body.error.details).toMatchObject({ field: 'businessHours.week.tue[1].to' });

    const closed = { ...moscowHours, week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    const allClosed = await put(h, '/api/v1/sla', { default: got.body.default, teams: [], businessHours: closed }, apiKeyHeaders(h));
    expect(allClosed.status).toBe(400);
    expect(allClosed.body.error).toMatchObject({ code: 'business_hours_invalid', details: { field: 'businessHours.week' } });

    const zone = await put(h, '/api/v1/sla', { default: got.body.default, teams: [], businessHours: { ...moscowHours, timeZone: 'Moscow' } }, apiKeyHeaders(h));
    expect(zone.status).toBe(400);
    expect(zone.body.error).toMatchObject({ code: 'business_hours_invalid', details: { field: 'businessHours.timeZone' } });
    expect((await h.api.get('/api/v1/sla')).body).toEqual(got.body);
  });

  it('does not turn a Friday-evening wait red over the weekend; amber and red come by business time, and so does escalation', async () => {
    const policy = { firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, businessHoursOnly: true, escalation };
    const saved = await put(h, '/api/v1/sla', { default: policy, teams: [], businessHours: moscowHours }, apiKeyHeaders(h));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toEqual({ default: policy, teams: [], businessHours: moscowHours });

    clockAt(FRIDAY_EVENING + MIN);
    const c = await customerWrites(h, '447400125501', 'Are you open on Saturday?', FRIDAY_EVENING);
    const dueAt = MONDAY_OPENING + 2 * H;

    // Three hours later by the wall (past the 2-hour target), and all of Sunday: still ok, nothing escalated.
    for (const at of [FRIDAY_EVENING + 3 * H, MONDAY_OPENING - 1]) {
      clockAt(at);
      expect((await listItem(c)).sla).toEqual({ status: 'ok', dueAt });
      await h.parley.timers.runOnce();
      expect((await listItem(c)).priority).toBe('none');
    }
    expect((await h.api.get(`/api/v1/conversations/${c}`)).body.sla).toEqual({ status: 'ok', dueAt });

    clockAt(MONDAY_OPENING + 90 * MIN - 1000);
    expect((await listItem(c)).sla?.status).toBe('ok');
    clockAt(MONDAY_OPENING + 90 * MIN);
    expect((await listItem(c)).sla).toEqual({ status: 'amber', dueAt });
    clockAt(dueAt - 1000);
    await h.parley.timers.runOnce();
    expect((await listItem(c)).priority).toBe('none');

    clockAt(dueAt);
    expect((await listItem(c)).sla).toEqual({ status: 'red', dueAt });
    await h.parley.timers.runOnce();
    expect((await listItem(c)).priority).toBe('urgent');
  });

  it('counts around the clock again when the switch is off, keeping the saved timetable', async () => {
    const policy = { firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, escalation: { ...escalation, raisePriority: false } };
    clockAt(FRIDAY_EVENING + 2 * MIN);
    const c = await customerWrites(h, '447400125502', 'Hello?', FRIDAY_EVENING + MIN);
    clockAt(FRIDAY_EVENING + 3 * H);
    expect((await listItem(c)).sla?.status).toBe('ok');

    const saved = await put(h, '/api/v1/sla', { default: policy, teams: [] }, apiKeyHeaders(h));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toEqual({ default: { ...policy, businessHoursOnly: false }, teams: [], businessHours: moscowHours });
    expect((await listItem(c)).sla).toEqual({ status: 'red', dueAt: FRIDAY_EVENING + MIN + 2 * H });
  });
});
