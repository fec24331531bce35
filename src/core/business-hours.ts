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
const MIN_MS = 60_000;

/** What one addBusinessTime call did (for tests that keep it cheap): days walked one by one and zone offset lookups. */
export interface BusinessTimeWork { days: number; offsets: number }

type OffsetOf = (ts: number) => number;

/**
 * The instant a local wall-clock time (as ms on a UTC calendar) happens in the zone. A time inside a
 * spring-forward gap does not exist: it maps to the end of the gap, the first moment open after it.
 */
function instantOf(offsetOf: OffsetOf, wall: number): number {
  const guess = wall - offsetOf(wall) * MIN_MS;
  const o1 = offsetOf(guess);
  const ts = wall - o1 * MIN_MS;
  const o2 = offsetOf(ts);
  if (o1 === o2) return ts;
  // In a gap neither offset gives this wall time back: find the jump between the two readings (to the second).
  let lo = Math.min(wall - o1 * MIN_MS, wall - o2 * MIN_MS);
  let hi = Math.max(wall - o1 * MIN_MS, wall - o2 * MIN_MS);
  const after = offsetOf(hi);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetOf(mid) === after) hi = mid; else lo = mid;
  }
  return hi;
}

/** How far ahead the walk looks; a target not reached by then is due then (only a near-empty timetable gets here). */
const HORIZON_MS = 5 * 366 * DAY_MS;
const HORIZON_DAYS = HORIZON_MS / DAY_MS;

/**
 * The instant of each local midnight, per zone and day number (days since 1970-01-01 on the local
 * calendar): a pure function of the zone's rules, so shared by every call (a list page, an escalation
 * pass) and bounded (oldest days dropped first).
 */
const midnights = new Map<string, Map<number, number>>();
const MAX_ZONES = 64;
const MAX_DAYS_PER_ZONE = 20_000;

function midnightsOf(zone: string): Map<number, number> {
  let days = midnights.get(zone);
  if (!days) {
    if (midnights.size >= MAX_ZONES) midnights.clear();
    days = new Map();
    midnights.set(zone, days);
  }
  return days;
}

/** A timetable made ready for the due-time math; kept per timetable object (a page of rows shares one). */
interface Prepared {
  /** null: not an IANA zone (then time counts around the clock). */
  zone: IANAZone | null;
  /** Open minute spans per Luxon weekday (1 = Monday … 7 = Sunday), sorted. */
  spans: Array<Array<[number, number]>>;
  /** Nominal open ms of a whole week (no holiday, no clock change). */
  weekMs: number;
  /** Closed days as local day numbers. */
  holidays: Set<number>;
  /** Nominal open ms the holidays take out of the week starting on that Monday (day number). */
  holidayMsByWeek: Map<number, number>;
}

const prepared = new WeakMap<BusinessHours, Prepared>();

function prepare(hours: BusinessHours): Prepared {
  let p = prepared.get(hours);
  if (p) return p;
  // Luxon checks a zone once when it is created (isTimeZone asks Intl on every call: too slow per row).
  const zone = isTimeZone(hours.timeZone) ? IANAZone.create(hours.timeZone) : null;
  const spans = spansByWeekday(hours);
  const dayMs = spans.map((day) => day.reduce((s, [a, b]) => s + (b - a) * MIN_MS, 0));
  const holidays = new Set<number>();
  const holidayMsByWeek = new Map<number, number>();
  for (const date of hours.holidays) {
    const ms = Date.parse(`${date}T00:00:00Z`);
    if (!Number.isFinite(ms)) continue;
    const dayNo = Math.floor(ms / DAY_MS);
    if (holidays.has(dayNo)) continue;
    holidays.add(dayNo);
    const weekday = weekdayOf(dayNo);
    const monday = dayNo - (weekday - 1);
    holidayMsByWeek.set(monday, (holidayMsByWeek.get(monday) ?? 0) + dayMs[weekday]!);
  }
  p = { zone, spans, weekMs: dayMs.reduce((a, b) => a + b, 0), holidays, holidayMsByWeek };
  prepared.set(hours, p);
  return p;
}

/** Luxon weekday (1 = Monday … 7 = Sunday) of a day number; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(dayNo: number): number {
  return (((dayNo + 3) % 7) + 7) % 7 + 1;
}

/**
 * The instant `amount` ms of open time after `start` (open time before `start` does not count; a
 * start outside hours begins counting at the next opening). Real elapsed time, so a day with a DST
 * change has as much open time as really passes in it. Returns `start` for amount ≤ 0.
 *
 * Cheap for long targets: a whole week with one UTC offset throughout is skipped at once (its open
 * time less that of its holidays), and local midnights are looked up once per zone and day; only
 * the first and last partial weeks and weeks with a clock change are walked day by day. `work`, when
 * given, counts what was done.
 */
export function addBusinessTime(hours: BusinessHours, start: number, amount: number, work?: BusinessTimeWork): number {
  if (!(amount > 0)) return start;
  const { zone, spans, weekMs, holidays, holidayMsByWeek } = prepare(hours);
  if (zone === null || weekMs === 0) return start + amount;
  const offsetOf: OffsetOf = (ts) => {
    if (work) work.offsets++;
    return zone.offset(ts);
  };
  const cache = midnightsOf(zone.name);
  const midnight = (dayNo: number): number => {
    let at = cache.get(dayNo);
    if (at === undefined) {
      at = instantOf(offsetOf, dayNo * DAY_MS);
      if (cache.size >= MAX_DAYS_PER_ZONE) cache.delete(cache.keys().next().value!);
      cache.set(dayNo, at);
    }
    return at;
  };
  let dayNo = Math.floor((start + offsetOf(start) * MIN_MS) / DAY_MS);
  const lastDay = dayNo + HORIZON_DAYS;
  let left = amount;
  while (dayNo < lastDay) {
    const weekday = weekdayOf(dayNo);
    const dayStart = midnight(dayNo);
    // A whole week ahead with one UTC offset throughout (7 × 24 real hours from its Monday midnight)
    // holds exactly its nominal open time; its holidays take out theirs.
    if (weekday === 1 && dayStart >= start && midnight(dayNo + 7) - dayStart === 7 * DAY_MS) {
      const weekOpen = weekMs - (holidayMsByWeek.get(dayNo) ?? 0);
      if (left > weekOpen) {
        left -= weekOpen;
        dayNo += 7;
        continue;
      }
    }
    if (work) work.days++;
    const daySpans = spans[weekday]!;
    if (daySpans.length > 0 && !holidays.has(dayNo)) {
      // A day of 24 real hours has one offset: its wall times are plain arithmetic; else ask the zone.
      const plain = midnight(dayNo + 1) - dayStart === DAY_MS;
      const wall = dayNo * DAY_MS;
      const at = (minutes: number) => (plain ? dayStart + minutes * MIN_MS : instantOf(offsetOf, wall + minutes * MIN_MS));
      for (const [a, b] of daySpans) {
        const open = Math.max(at(a), start);
        const close = at(b);
        if (close <= open) continue;
        if (left <= close - open) return open + left;
        left -= close - open;
      }
    }
    dayNo++;
  }
  return start + HORIZON_MS;
}
