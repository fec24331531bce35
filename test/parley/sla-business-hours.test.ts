// SLA in business hours on Parley's clock, on both databases: the timetable and the switch through
// GET/PUT /sla (bad hours refused with the day named), then a Friday-evening message with a 2-hour
// target in Moscow hours (Mon–Fri 09:00–18:00) stays ok all weekend — not red, not escalated by wall
// time — turns amber at Monday 10:30 and red at 11:00, when the timers worker escalates it. A client that
// leaves the switch out keeps it as saved; and a weekend backlog of business-hours waits does not hide a
// 24/7 team's red ones from the escalation pass (it pages on past them).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateBreaches } from '../../src/services/sla.js';
import { startHarness, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, assignAs, customerWrites, put, teamWith } from './assignment-steps.js';

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
    const policy = { firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, businessHoursOnly: false, escalation: { ...escalation, raisePriority: false } };
    clockAt(FRIDAY_EVENING + 2 * MIN);
    const c = await customerWrites(h, '447400125502', 'Hello?', FRIDAY_EVENING + MIN);
    clockAt(FRIDAY_EVENING + 3 * H);
    expect((await listItem(c)).sla?.status).toBe('ok');

    const saved = await put(h, '/api/v1/sla', { default: policy, teams: [] }, apiKeyHeaders(h));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toEqual({ default: policy, teams: [], businessHours: moscowHours });
    expect((await listItem(c)).sla).toEqual({ status: 'red', dueAt: FRIDAY_EVENING + MIN + 2 * H });
  });

  it('keeps the saved switch when a client re-saves its policies without it', async () => {
    const team = await teamWith(h, 'Weekdays team', []);
    const policy = { firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, escalation };
    const both = { default: { ...policy, businessHoursOnly: true }, teams: [{ ...policy, teamId: team, businessHoursOnly: true }] };
    expect((await put(h, '/api/v1/sla', both, apiKeyHeaders(h))).status).toBe(200);

    // An older client knows neither the switch nor the timetable: it sends the targets back with a new amber share.
    const older = { default: { ...policy, amberPercent: 80 }, teams: [{ ...policy, teamId: team, amberPercent: 80 }] };
    const saved = await put(h, '/api/v1/sla', older, apiKeyHeaders(h));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const kept = { default: { ...policy, amberPercent: 80, businessHoursOnly: true }, teams: [{ ...policy, teamId: team, amberPercent: 80, businessHoursOnly: true }] };
    expect(saved.body).toEqual({ ...kept, businessHours: moscowHours });
    expect((await h.api.get('/api/v1/sla')).body).toEqual({ ...kept, businessHours: moscowHours });

    // Sent explicitly, the switch goes off; a team policy new to the workspace without it counts around the clock.
    const other = await teamWith(h, 'Round-the-clock team', []);
    const off = await put(h, '/api/v1/sla', { default: { ...policy, businessHoursOnly: false }, teams: [{ ...policy, teamId: other }] }, apiKeyHeaders(h));
    expect(off.body).toEqual({ default: { ...policy, businessHoursOnly: false }, teams: [{ ...policy, teamId: other, businessHoursOnly: false }], businessHours: moscowHours });
  });

  it("escalates a 24/7 team's red waits on Saturday behind a backlog of business-hours waits that are not red yet", async () => {
    const team = await teamWith(h, 'Weekend shift', []);
    const policy = { firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, escalation };
    const saved = await put(h, '/api/v1/sla', {
      default: { ...policy, businessHoursOnly: true }, teams: [{ ...policy, teamId: team, businessHoursOnly: false }], businessHours: moscowHours,
    }, apiKeyHeaders(h));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    // Friday 20:02 Moscow: three waits in business hours (due Monday) and one of the 24/7 team, all at the same
    // moment (the page cursor breaks ties by id); Saturday 08:00 another of the team's.
    clockAt(FRIDAY_EVENING + 3 * MIN);
    const backlog = [];
    for (const waId of ['447400125511', '447400125512', '447400125513']) backlog.push(await customerWrites(h, waId, 'Hello?', FRIDAY_EVENING + 2 * MIN));
    const teamFriday = await customerWrites(h, '447400125514', 'Hello?', FRIDAY_EVENING + 2 * MIN);
    const saturdayMorning = FRIDAY_EVENING + 12 * H;
    clockAt(saturdayMorning + MIN);
    const teamSaturday = await customerWrites(h, '447400125515', 'Anyone there?', saturdayMorning);
    for (const c of [teamFriday, teamSaturday]) expect((await assignAs(h.api, c, { teamId: team })).status).toBe(200);

    // Saturday 12:00: the team's waits are red, the business-hours ones (and earlier tests' waits) ok until Monday.
    clockAt(saturdayMorning + 4 * H);
    for (const c of [teamFriday, teamSaturday]) expect((await listItem(c)).sla?.status).toBe('red');
    for (const c of backlog) expect((await listItem(c)).sla?.status).toBe('ok');

    // Reading only the oldest page (as before) finds nothing red in it.
    const workspaceId = h.parley.demo!.workspaceId;
    expect(await escalateBreaches(h.parley.deps, workspaceId, { pageSize: 2, maxPages: 1 })).toBe(0);
    expect((await listItem(teamFriday)).priority).toBe('none');

    // Paging on by waiting time reaches both; a second pass has nothing left to do.
    expect(await escalateBreaches(h.parley.deps, workspaceId, { pageSize: 2, maxPages: 20 })).toBe(2);
    for (const c of [teamFriday, teamSaturday]) expect((await listItem(c)).priority).toBe('urgent');
    for (const c of backlog) expect((await listItem(c)).priority).toBe('none');
    expect(await escalateBreaches(h.parley.deps, workspaceId, { pageSize: 2, maxPages: 20 })).toBe(0);
  });
});
