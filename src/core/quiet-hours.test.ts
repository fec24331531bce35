import { describe, expect, it } from 'vitest';
import { quietHoursProblem, quietUntil, type QuietHoursRule } from './quiet-hours.js';

const IST: QuietHoursRule = { timeZone: 'Asia/Kolkata', start: '21:00', end: '09:00' }; // UTC+5:30
const DAY: QuietHoursRule = { timeZone: 'UTC', start: '12:00', end: '13:00' };

describe('quietUntil', () => {
  it.each([
    ['before the start (20:59 IST)', IST, Date.UTC(2026, 0, 5, 15, 29), null],
    ['at the start (21:00 IST)', IST, Date.UTC(2026, 0, 5, 15, 30), Date.UTC(2026, 0, 6, 3, 30)],
    ['after midnight (02:00 IST)', IST, Date.UTC(2026, 0, 5, 20, 30), Date.UTC(2026, 0, 6, 3, 30)],
    ['one minute before the end (08:59 IST)', IST, Date.UTC(2026, 0, 6, 3, 29), Date.UTC(2026, 0, 6, 3, 30)],
    ['at the end (09:00 IST)', IST, Date.UTC(2026, 0, 6, 3, 30), null],
    ['same-day period, inside', DAY, Date.UTC(2026, 0, 5, 12, 30), Date.UTC(2026, 0, 5, 13, 0)],
    ['same-day period, at the end', DAY, Date.UTC(2026, 0, 5, 13, 0), null],
    ['bad zone never holds', { ...DAY, timeZone: 'Mars/Base' }, Date.UTC(2026, 0, 5, 12, 30), null],
    ['bad time never holds', { ...DAY, start: '25:00' }, Date.UTC(2026, 0, 5, 12, 30), null],
  ])('%s', (_label, rule, now, until) => {
    expect(quietUntil(rule, now)).toBe(until);
  });

  it('follows daylight saving time in the zone', () => {
    // New York: 2026-03-08 02:00 → 03:00. Quiet 22:00–08:00 local.
    const ny: QuietHoursRule = { timeZone: 'America/New_York', start: '22:00', end: '08:00' };
    expect(quietUntil(ny, Date.UTC(2026, 2, 8, 5, 0))).toBe(Date.UTC(2026, 2, 8, 12, 0)); // 00:00 EST → 08:00 EDT
  });
});

describe('quietHoursProblem', () => {
  it.each([
    [IST, null],
    [{ ...IST, timeZone: 'Nowhere/City' }, 'unknown time zone "Nowhere/City"'],
    [{ ...IST, start: '9:00' }, 'start "9:00" is not HH:mm'],
    [{ ...IST, end: '24:00' }, 'end "24:00" is not HH:mm'],
    [{ ...IST, end: '21:00' }, 'start and end are equal'],
  ])('%o → %s', (rule, problem) => {
    expect(quietHoursProblem(rule)).toBe(problem);
  });
});
