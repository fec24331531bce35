// Business-hours due times with fixed instants: the clock starts at opening, skips nights, weekends and
// holidays, spans several days, follows DST (Europe/Berlin, last Sunday of March 2026), and bad timetables are named.

import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessHoursProblem, defaultBusinessHours, type BusinessHours } from './business-hours.js';
import { slaState } from './sla.js';

const MIN = 60_000;
const H = 60 * MIN;
const utc = (iso: string) => Date.parse(`${iso}Z`);
const moscow = defaultBusinessHours('Europe/Moscow'); // Mon–Fri 09:00–18:00, UTC+3 all year
const berlin = defaultBusinessHours('Europe/Berlin');
const closedWeek = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

describe('addBusinessTime', () => {
  it('starts the clock at the opening when the wait begins before it', () => {
    // Tuesday 07:00 Moscow (04:00 UTC), one hour → 10:00 Moscow.
    expect(addBusinessTime(moscow, utc('2026-03-03T04:00:00'), H)).toBe(utc('2026-03-03T07:00:00'));
  });

  it('counts inside the day as wall time', () => {
    expect(addBusinessTime(moscow, utc('2026-03-03T07:15:00'), 30 * MIN)).toBe(utc('2026-03-03T07:45:00'));
  });

  it('makes a Friday-evening message due on Monday morning', () => {
    // Friday 20:00 Moscow, two hours → Monday 11:00 Moscow.
    expect(addBusinessTime(moscow, utc('2026-03-06T17:00:00'), 2 * H)).toBe(utc('2026-03-09T08:00:00'));
    // Friday 17:00, two hours: one hour on Friday, one on Monday.
    expect(addBusinessTime(moscow, utc('2026-03-06T14:00:00'), 2 * H)).toBe(utc('2026-03-09T07:00:00'));
  });

  it('skips holidays', () => {
    const hours = { ...moscow, holidays: ['2026-03-09'] };
    expect(addBusinessTime(hours, utc('2026-03-06T17:00:00'), 2 * H)).toBe(utc('2026-03-10T08:00:00'));
  });

  it('carries a target longer than one day’s hours over to the next days', () => {
    // Monday 10:00 Moscow, 12 h: 8 h on Monday, 4 h on Tuesday → Tuesday 13:00.
    expect(addBusinessTime(moscow, utc('2026-03-02T07:00:00'), 12 * H)).toBe(utc('2026-03-03T10:00:00'));
    // 30 days of 24 h = 720 h = 16 weeks of 45 h: Friday 18:00 of the 16th week (whole weeks skipped at once).
    expect(addBusinessTime(moscow, utc('2026-03-02T06:00:00'), 720 * H)).toBe(utc('2026-06-19T15:00:00'));
  });

  it('is due at the closing moment when the target ends exactly then', () => {
    expect(addBusinessTime(moscow, utc('2026-03-02T13:00:00'), 2 * H)).toBe(utc('2026-03-02T15:00:00'));
  });

  it('follows the DST change in Europe/Berlin (29 March 2026, 02:00 → 03:00)', () => {
    // Friday 27 March 17:00 CET (UTC+1), two hours: one on Friday, one on Monday from 09:00 CEST (UTC+2).
    expect(addBusinessTime(berlin, utc('2026-03-27T16:00:00'), 2 * H)).toBe(utc('2026-03-30T08:00:00'));
    // The same message a week earlier, both days in CET.
    expect(addBusinessTime(berlin, utc('2026-03-20T16:00:00'), 2 * H)).toBe(utc('2026-03-23T09:00:00'));
    // 16 weeks from Monday 2 March 09:00 CET end on Friday 19 June 18:00 CEST.
    expect(addBusinessTime(berlin, utc('2026-03-02T08:00:00'), 720 * H)).toBe(utc('2026-06-19T16:00:00'));
  });

  it('counts the hour that really passes on the day the clocks jump', () => {
    // Open only on Sundays 00:00–12:00: on 29 March that is 11 real hours (23:00 UTC → 10:00 UTC).
    const sundays: BusinessHours = { timeZone: 'Europe/Berlin', week: { ...closedWeek, sun: [{ from: '00:00', to: '12:00' }] }, holidays: [] };
    expect(addBusinessTime(sundays, utc('2026-03-28T11:00:00'), 11 * H)).toBe(utc('2026-03-29T10:00:00'));
    // Half an hour more goes to the next Sunday, 00:30 CEST.
    expect(addBusinessTime(sundays, utc('2026-03-28T11:00:00'), 11.5 * H)).toBe(utc('2026-04-04T22:30:00'));
    // Open around the clock, business time is wall time across the change.
    const always: BusinessHours = {
      timeZone: 'Europe/Berlin', holidays: [],
      week: Object.fromEntries(Object.keys(closedWeek).map((d) => [d, [{ from: '00:00', to: '24:00' }]])) as BusinessHours['week'],
    };
    for (const start of [utc('2026-03-28T20:17:00'), utc('2026-10-24T23:59:00'), utc('2026-03-29T00:30:00')]) {
      expect(addBusinessTime(always, start, 26 * H)).toBe(start + 26 * H);
      expect(addBusinessTime(always, start, 40 * 24 * H)).toBe(start + 40 * 24 * H);
    }
  });

  it('joins hours across midnight and jumps over closed days', () => {
    const night: BusinessHours = {
      timeZone: 'Europe/Moscow', holidays: [],
      week: { ...closedWeek, mon: [{ from: '22:00', to: '24:00' }], tue: [{ from: '00:00', to: '02:00' }] },
    };
    // Monday 2 March 23:00 Moscow, two hours → Tuesday 01:00.
    expect(addBusinessTime(night, utc('2026-03-02T20:00:00'), 2 * H)).toBe(utc('2026-03-02T22:00:00'));
    // Tuesday 03:00: closed until next Monday 22:00, one hour → 23:00.
    expect(addBusinessTime(night, utc('2026-03-03T00:00:00'), H)).toBe(utc('2026-03-09T20:00:00'));
    // Two intervals in a day (lunch break 13:00–14:00).
    const lunch = { ...moscow, week: { ...moscow.week, wed: [{ from: '14:00', to: '18:00' }, { from: '09:00', to: '13:00' }] } };
    expect(addBusinessTime(lunch, utc('2026-03-04T09:30:00'), H)).toBe(utc('2026-03-04T11:30:00'));
  });
});

describe('slaState in business hours', () => {
  it('is ok over the weekend, amber at 75 % of the open time and red when it is used up', () => {
    const since = utc('2026-03-06T17:00:00'); // Friday 20:00 Moscow, 2 h target → due Monday 11:00
    const due = utc('2026-03-09T08:00:00');
    expect(slaState(since, 2 * H, 75, utc('2026-03-09T05:59:00'), moscow)).toEqual({ status: 'ok', dueAt: due });
    expect(slaState(since, 2 * H, 75, utc('2026-03-09T07:29:59'), moscow)?.status).toBe('ok');
    expect(slaState(since, 2 * H, 75, utc('2026-03-09T07:30:00'), moscow)?.status).toBe('amber');
    expect(slaState(since, 2 * H, 75, due - 1, moscow)?.status).toBe('amber');
    expect(slaState(since, 2 * H, 75, due, moscow)?.status).toBe('red');
    // Without hours: red by Friday 22:00.
    expect(slaState(since, 2 * H, 75, since + 2 * H, null)?.status).toBe('red');
  });
});

describe('businessHoursProblem', () => {
  it('accepts the default and a lunch break', () => {
    expect(businessHoursProblem(moscow)).toBeNull();
    expect(businessHoursProblem({ ...moscow, week: { ...moscow.week, sat: [{ from: '10:00', to: '13:00' }, { from: '14:00', to: '24:00' }] } })).toBeNull();
  });

  it('rejects an all-closed week', () => {
    expect(businessHoursProblem({ ...moscow, week: closedWeek })).toMatchObject({ field: 'week', message: expect.stringContaining('every day is closed') });
  });

  it('names the day and interval to fix', () => {
    const backwards = businessHoursProblem({ ...moscow, week: { ...moscow.week, tue: [{ from: '09:00', to: '13:00' }, { from: '18:00', to: '09:00' }] } });
    expect(backwards).toEqual({ field: 'week.tue[1].to', message: expect.stringContaining('Tuesday, interval 2: 18:00–09:00 ends before it starts') });
    expect(businessHoursProblem({ ...moscow, week: { ...moscow.week, mon: [{ from: '9:00', to: '18:00' }] } })?.field).toBe('week.mon[0].from');
    expect(businessHoursProblem({ ...moscow, week: { ...moscow.week, fri: [{ from: '09:00', to: '24:01' }] } })?.field).toBe('week.fri[0].to');
    expect(businessHoursProblem({ ...moscow, week: { ...moscow.week, wed: [{ from: '09:00', to: '14:00' }, { from: '13:00', to: '18:00' }] } }))
      .toEqual({ field: 'week.wed[1]', message: 'Wednesday: intervals 1 and 2 overlap' });
  });

  it('rejects an unknown zone and a date that does not exist', () => {
    expect(businessHoursProblem({ ...moscow, timeZone: 'Europe/Atlantis' })?.field).toBe('timeZone');
    expect(businessHoursProblem({ ...moscow, holidays: ['2026-01-01', '2026-02-30'] })).toMatchObject({ field: 'holidays[1]' });
  });
});

describe('a timetable that opens inside the spring-forward gap', () => {
  it('opens when the clocks jump (02:30 does not exist on 29 March 2026 in Berlin)', () => {
    const early: BusinessHours = { timeZone: 'Europe/Berlin', week: { ...closedWeek, sun: [{ from: '02:30', to: '04:00' }] }, holidays: [] };
    // Open from 03:00 CEST (01:00 UTC) to 04:00 CEST (02:00 UTC): one real hour.
    expect(addBusinessTime(early, utc('2026-03-28T12:00:00'), 30 * MIN)).toBe(utc('2026-03-29T01:30:00'));
    expect(addBusinessTime(early, utc('2026-03-28T12:00:00'), 60 * MIN)).toBe(utc('2026-03-29T02:00:00'));
    // A week later the interval is 90 minutes again: 02:30 CEST = 00:30 UTC.
    expect(addBusinessTime(early, utc('2026-03-29T03:00:00'), 30 * MIN)).toBe(utc('2026-04-05T01:00:00'));
  });
});
