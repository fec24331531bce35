// The times "Send later" offers (in an hour, in three, tomorrow at 9:00 local time) and the check of a
// chosen time, by the rules the server applies (src/core/scheduled.ts): a minute to 30 days ahead and,
// for anything but a template, before the customer service window as it stands closes.

import { SCHEDULE_MAX_AHEAD_MS, SCHEDULE_MIN_AHEAD_MS } from '../../../../../../src/core/scheduled.js';

export type LaterChoiceKey = 'in1h' | 'in3h' | 'tomorrow9';
export type LaterProblem = 'too_soon' | 'too_far' | 'after_window' | null;

export interface LaterChoice { key: LaterChoiceKey; at: number; problem: LaterProblem }

const HOUR = 3_600_000;

/** `windowClosesAt` null: no open window. `template`: a template may go at any time, window or not. */
export function laterProblem(at: number, now: number, windowClosesAt: number | null, template = false): LaterProblem {
  if (!Number.isFinite(at) || at < now + SCHEDULE_MIN_AHEAD_MS) return 'too_soon';
  if (at > now + SCHEDULE_MAX_AHEAD_MS) return 'too_far';
  if (!template && (windowClosesAt === null || at >= windowClosesAt)) return 'after_window';
  return null;
}

/** Tomorrow at 9:00 in the browser's time zone. */
export function tomorrowAtNine(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d.getTime();
}

export function laterChoices(now: number, windowClosesAt: number | null, template = false): LaterChoice[] {
  const times: Array<[LaterChoiceKey, number]> = [['in1h', now + HOUR], ['in3h', now + 3 * HOUR], ['tomorrow9', tomorrowAtNine(now)]];
  return times.map(([key, at]) => ({ key, at, problem: laterProblem(at, now, windowClosesAt, template) }));
}

/** The value of a datetime-local input (local time, minutes) for `ms`, and back. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return Number.NaN;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])).getTime();
}
