// Quiet hours: a per-country, configurable "do not send between" rule in the recipient's time zone.
// Not a Meta rule (Meta has none); a platform convention borrowed from SMS regulation.
import { DateTime, IANAZone } from 'luxon';

export interface QuietHoursRule {
  /** IANA zone the hours are read in, e.g. 'Asia/Kolkata'. */
  timeZone: string;
  /** 'HH:mm' local start of the quiet period (inclusive). */
  start: string;
  /** 'HH:mm' local end (exclusive); may be earlier than start to span midnight. */
  end: string;
  /** Which messages it holds back: marketing templates (default), all templates, or everything. */
  appliesTo?: 'marketing' | 'templates' | 'all';
}

function minutes(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** For config validation: a readable problem, or null when the rule is usable. */
export function quietHoursProblem(rule: QuietHoursRule): string | null {
  if (!IANAZone.isValidZone(rule.timeZone)) return `unknown time zone "${rule.timeZone}"`;
  if (minutes(rule.start) === null) return `start "${rule.start}" is not HH:mm`;
  if (minutes(rule.end) === null) return `end "${rule.end}" is not HH:mm`;
  if (rule.start === rule.end) return 'start and end are equal';
  return null;
}

/** If `now` falls in the quiet period, when it ends (epoch ms); otherwise null. Unusable rules never hold. */
export function quietUntil(rule: QuietHoursRule, now: number): number | null {
  const start = minutes(rule.start);
  const end = minutes(rule.end);
  const local = DateTime.fromMillis(now, { zone: rule.timeZone });
  if (start === null || end === null || start === end || !local.isValid) return null;
  const t = local.hour * 60 + local.minute;
  const inside = start < end ? t >= start && t < end : t >= start || t < end;
  if (!inside) return null;
  let until = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (until.toMillis() <= now) until = until.plus({ days: 1 });
  return until.toMillis();
}
