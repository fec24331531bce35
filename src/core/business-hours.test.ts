// Business-hours due times with fixed instants: the clock starts at opening, skips nights, weekends and
// holidays, spans several days, follows DST (Europe/Berlin, last Sunday of March 2026), and bad timetables are named.
// Long targets with many holidays give the same answer as a plain day-by-day walk, without walking day by day.

import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it, vi } from 'vitest';
import {
  addBusinessTime, businessHoursProblem, defaultBusinessHours, WEEKDAYS, type BusinessHours, type BusinessTimeWork,
} from './business-hours.js';
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

/** The plain answer: walk local days one by one with Luxon (timetables here open nowhere inside a DST gap). */
function dayByDay(hours: BusinessHours, start: number, amount: number): number {
  const localTime = (day: DateTime, hhmm: string) => (hhmm === '24:00'
    ? day.plus({ days: 1 }).startOf('day').toMillis()
    : day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) }).toMillis());
  let day = DateTime.fromMillis(start, { zone: hours.timeZone }).startOf('day');
  let left = amount;
  for (let i = 0; i < 5 * 366; i++, day = day.plus({ days: 1 })) {
    if (hours.holidays.includes(day.toISODate()!)) continue;
    const intervals = [...hours.week[WEEKDAYS[day.weekday - 1]!]].sort((a, b) => a.from.localeCompare(b.from));
    for (const { from, to } of intervals) {
      const open = Math.max(localTime(day, from), start);
      const close = localTime(day, to);
      if (close <= open) continue;
      if (left <= close - open) return open + left;
      left -= close - open;
    }
  }
  throw new Error('not due within the horizon');
}

/** `count` local dates from `first`, every `step` days (they land on every weekday and in the DST weeks). */
function holidaysFrom(first: string, count: number, step: number): string[] {
  const d = DateTime.fromISO(first, { zone: 'UTC' });
  return Array.from({ length: count }, (_, k) => d.plus({ days: k * step }).toISODate()!);
}

const weekdaysOpen = (intervals: Array<{ from: string; to: string }>) => ({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: [], sun: [] });

describe('addBusinessTime for long targets with many holidays', () => {
  const officeBerlin: BusinessHours = { timeZone: 'Europe/Berlin', week: weekdaysOpen([{ from: '09:00', to: '18:00' }]), holidays: holidaysFrom('2026-01-02', 100, 3) };
  const lunchNewYork: BusinessHours = {
    timeZone: 'America/New_York',
    week: { ...weekdaysOpen([{ from: '08:30', to: '12:00' }, { from: '13:00', to: '17:45' }]), sat: [{ from: '10:00', to: '24:00' }], sun: [{ from: '00:00', to: '01:00' }] },
    holidays: holidaysFrom('2026-02-10', 100, 2),
  };
  const kolkata: BusinessHours = { timeZone: 'Asia/Kolkata', week: weekdaysOpen([{ from: '10:00', to: '19:00' }]), holidays: holidaysFrom('2026-01-01', 100, 5) };
  const sundaysBerlin: BusinessHours = { timeZone: 'Europe/Berlin', week: { ...closedWeek, sun: [{ from: '00:00', to: '12:00' }] }, holidays: holidaysFrom('2026-03-01', 30, 14) };
  const starts = Array.from({ length: 60 }, (_, k) => utc('2026-02-20T00:00:00') + k * 37 * H + k * 7 * MIN);

  it.each([
    ['Berlin office hours', officeBerlin], ['New York with a lunch break and a late Saturday', lunchNewYork],
    ['Kolkata (UTC+5:30)', kolkata], ['Berlin Sundays over the clock change', sundaysBerlin],
  ])('gives the day-by-day answer: %s', (_, hours) => {
    for (const start of starts) {
      for (const target of [30 * MIN, 2 * H, 9 * H, 45 * H + 17 * MIN, 30 * 24 * H]) {
        expect(addBusinessTime(hours, start, target), `${new Date(start).toISOString()} + ${target / MIN} min`).toBe(dayByDay(hours, start, target));
      }
    }
  });

  it('gives the day-by-day answer for one open hour a week and a week-long target', () => {
    const thin: BusinessHours = { timeZone: 'Europe/Berlin', week: { ...closedWeek, wed: [{ from: '10:00', to: '11:00' }] }, holidays: holidaysFrom('2026-01-07', 100, 7) };
    for (const start of starts.filter((_, k) => k % 6 === 0)) {
      for (const target of [H, 30 * H, 7 * 24 * H]) expect(addBusinessTime(thin, start, target)).toBe(dayByDay(thin, start, target));
    }
  });

  it('skips whole weeks even when they hold holidays: a 30-day target walks only a few days and asks the zone little', () => {
    // A zone no other test here uses, so its midnights are not known yet when this starts.
    const vienna: BusinessHours = { timeZone: 'Europe/Vienna', week: weekdaysOpen([{ from: '09:00', to: '18:00' }]), holidays: holidaysFrom('2026-01-02', 100, 3) };
    const total: BusinessTimeWork = { days: 0, offsets: 0 };
    // Luxon's own offset lookups, counted whatever the implementation reports (the call goes through).
    const lookups = vi.spyOn(IANAZone.prototype, 'offset');
    // 200 list rows waiting since different moments, each with the longest target SLA allows.
    for (let k = 0; k < 200; k++) {
      const work: BusinessTimeWork = { days: 0, offsets: 0 };
      const start = utc('2026-02-02T05:00:00') + k * 5 * H;
      addBusinessTime(vienna, start, 30 * 24 * H, work);
      // The first and last partial week and at most two weeks with a clock change: ≤ 4 × 7 days, of the ~165 it spans.
      expect(work.days).toBeLessThanOrEqual(28);
      total.days += work.days;
      total.offsets += work.offsets;
    }
    // Midnights are looked up once per zone and day (a few hundred days, ~4 lookups each), then reused.
    const luxonLookups = lookups.mock.calls.length;
    lookups.mockRestore();
    // Day by day that would be ~165 days and ~1,000 lookups per row.
    expect(luxonLookups).toBeLessThan(1500);
    expect(total.offsets).toBe(luxonLookups);
    expect(total.days).toBeLessThan(200 * 18);
  });
});
