// Business hours for response-time targets: a weekly timetable in one IANA zone (each weekday closed or
// open in one or more HH:MM–HH:MM intervals) plus closed dates, and the due-time math counting open time only.
import { DateTime, IANAZone } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local 'HH:MM' from (inclusive) to (exclusive); `to` may be '24:00' (the end of the day). */
export interface OpenInterval { from: string; to: string }

export interface BusinessHours {
  /** IANA zone the timetable is read in, e.g. 'Europe/Moscow'. */
  timeZone: string;
  /** Open intervals per weekday; an empty list = closed all day. */
  week: Record<Weekday, OpenInterval[]>;
  /** Local dates ('YYYY-MM-DD') closed all day. */
  holidays: string[];
}

export const BUSINESS_HOURS_LIMITS = { maxIntervalsPerDay: 6, maxHolidays: 100 } as const;

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday',
};

/** Mon–Fri 09:00–18:00 in `timeZone`, no holidays: what the settings show before anything is saved. */
export function defaultBusinessHours(timeZone: string): BusinessHours {
  const day = [{ from: '09:00', to: '18:00' }];
  return { timeZone, week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] }, holidays: [] };
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Minutes after local midnight of 'HH:MM' (00:00–24:00), or null. */
function clockMinutes(hhmm: string): number | null {
  const m = /^(\d\d):([0-5]\d)$/.exec(hhmm);
  if (!m) return null;
  const total = Number(m[1]) * 60 + Number(m[2]);
  return total <= 24 * 60 ? total : null;
}

function isDate(text: string): boolean {
  return /^\d{4}-\d\d-\d\d$/.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}

/** What is wrong with a timetable (the field and a message naming the day and interval), or null. */
export function businessHoursProblem(hours: BusinessHours): { field: string; message: string } | null {
  if (!isTimeZone(hours.timeZone)) {
    return { field: 'timeZone', message: `"${hours.timeZone}" is not an IANA time zone (e.g. Europe/Moscow, Asia/Yekaterinburg)` };
  }
  let open = false;
  for (const day of WEEKDAYS) {
    const problem = dayProblem(day, hours.week[day] ?? []);
    if (problem) return problem;
    open ||= (hours.week[day] ?? []).length > 0;
  }
  if (!open) return { field: 'week', message: 'every day is closed: open at least one day' };
  if (hours.holidays.length > BUSINESS_HOURS_LIMITS.maxHolidays) {
    return { field: 'holidays', message: `at most ${BUSINESS_HOURS_LIMITS.maxHolidays} holidays` };
  }
  for (const [i, date] of hours.holidays.entries()) {
    if (!isDate(date)) return { field: `holidays[${i}]`, message: `holiday "${date}" is not a date (YYYY-MM-DD)` };
  }
  return null;
}

function dayProblem(day: Weekday, intervals: OpenInterval[]): { field: string; message: string } | null {
  const name = DAY_NAMES[day];
  if (intervals.length > BUSINESS_HOURS_LIMITS.maxIntervalsPerDay) {
    return { field: `week.${day}`, message: `${name} has more than ${BUSINESS_HOURS_LIMITS.maxIntervalsPerDay} intervals` };
  }
  const spans: Array<[number, number, number]> = [];
  for (const [i, { from, to }] of intervals.entries()) {
    const where = `${name}, interval ${i + 1}`;
    const a = clockMinutes(from);
    const b = clockMinutes(to);
    if (a === null || a === 24 * 60) return { field: `week.${day}[${i}].from`, message: `${where}: "${from}" is not a time from 00:00 to 23:59` };
    if (b === null) return { field: `week.${day}[${i}].to`, message: `${where}: "${to}" is not a time from 00:01 to 24:00` };
    if (b <= a) {
      return { field: `week.${day}[${i}].to`, message: `${where}: ${from}–${to} ends before it starts (for hours past midnight, end at 24:00 and open the next day at 00:00)` };
    }
    spans.push([a, b, i]);
  }
  spans.sort((x, y) => x[0] - y[0]);
  for (let k = 1; k < spans.length; k++) {
    if (spans[k]![0] < spans[k - 1]![1]) {
      return { field: `week.${day}[${spans[k]![2]}]`, message: `${name}: intervals ${spans[k - 1]![2] + 1} and ${spans[k]![2] + 1} overlap` };
    }
  }
  return null;
}

/** The timetable as minute spans per Luxon weekday (1 = Monday … 7 = Sunday), sorted. */
function spansByWeekday(hours: BusinessHours): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [[]];
  for (const day of WEEKDAYS) {
    out.push((hours.week[day] ?? [])
      .map(({ from, to }): [number, number] => [clockMinutes(from) ?? 0, clockMinutes(to) ?? 0])
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]));
  }
  return out;
}

const DAY_MS = 86_400_000;

/**
 * The instant a local wall-clock time (as ms on a UTC calendar) happens in `zone`. A time inside a
 * spring-forward gap does not exist: it maps to the end of the gap, the first moment open after it.
 */
function instantOf(zone: IANAZone, wall: number): number {
  const guess = wall - zone.offset(wall) * 60_000;
  const o1 = zone.offset(guess);
  const ts = wall - o1 * 60_000;
  const o2 = zone.offset(ts);
  if (o1 === o2) return ts;
  // In a gap neither offset gives this wall time back: find the jump between the two readings (to the second).
  let lo = Math.min(wall - o1 * 60_000, wall - o2 * 60_000);
  let hi = Math.max(wall - o1 * 60_000, wall - o2 * 60_000);
  const after = zone.offset(hi);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (zone.offset(mid) === after) hi = mid; else lo = mid;
  }
  return hi;
}

/** How far ahead the walk looks; a target not reached by then is due then (only a near-empty timetable gets here). */
const HORIZON_MS = 5 * 366 * DAY_MS;

/**
 * The instant `amount` ms of open time after `start` (open time before `start` does not count; a
 * start outside hours begins counting at the next opening). Real elapsed time, so a day with a DST
 * change has as much open time as really passes in it. Returns `start` for amount ≤ 0.
 */
export function addBusinessTime(hours: BusinessHours, start: number, amount: number): number {
  if (!(amount > 0)) return start;
  if (!isTimeZone(hours.timeZone)) return start + amount;
  const zone = IANAZone.create(hours.timeZone);
  const spans = spansByWeekday(hours);
  const weekMs = spans.reduce((sum, day) => sum + day.reduce((s, [a, b]) => s + (b - a) * 60_000, 0), 0);
  if (weekMs === 0) return start + amount;
  const holidays = new Set(hours.holidays);
  const sortedHolidays = [...holidays].sort();
  const isoDate = (wall: number) => new Date(wall).toISOString().slice(0, 10);
  /** Local midnight of the current day as wall ms (a UTC calendar: whole days, no DST). */
  let day = Math.floor((start + zone.offset(start) * 60_000) / DAY_MS) * DAY_MS;
  let left = amount;
  while (instantOf(zone, day) < start + HORIZON_MS) {
    const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1; // 1 = Monday … 7 = Sunday
    // A whole week ahead with no holiday and one UTC offset throughout holds exactly weekMs of open time.
    if (weekday === 1 && left > weekMs && instantOf(zone, day) >= start) {
      const next = day + 7 * DAY_MS;
      const [from, to] = [isoDate(day), isoDate(next)];
      if (zone.offset(instantOf(zone, day)) === zone.offset(instantOf(zone, next)) && !sortedHolidays.some((d) => d >= from && d < to)) {
        left -= weekMs;
        day = next;
        continue;
      }
    }
    if (!holidays.has(isoDate(day))) {
      for (const [a, b] of spans[weekday]!) {
        const open = Math.max(instantOf(zone, day + a * 60_000), start);
        const close = instantOf(zone, day + b * 60_000);
        if (close <= open) continue;
        if (left <= close - open) return open + left;
        left -= close - open;
      }
    }
    day += DAY_MS;
  }
  return start + HORIZON_MS;
}
