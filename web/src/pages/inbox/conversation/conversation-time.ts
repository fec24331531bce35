// Time math of the pane, pure (now as argument): the customer service window's state and what is
// left of it, and the day separators of the message list.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages#customer-service-windows

export type WindowState = { open: false } | { open: true; hours: number; minutes: number; msLeft: number };

/** Open while `now` is before windowExpiresAt (null = the customer never wrote: closed). */
export function windowState(windowExpiresAt: number | null | undefined, now: number): WindowState {
  if (windowExpiresAt == null || windowExpiresAt <= now) return { open: false };
  const msLeft = windowExpiresAt - now;
  const totalMinutes = Math.max(1, Math.ceil(msLeft / 60_000));
  return { open: true, hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60, msLeft };
}

/** Local calendar day of a time, as a key ("2025-03-09"). */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export type DayLabel = { kind: 'today' } | { kind: 'yesterday' } | { kind: 'date'; ms: number };

/** "Today", "Yesterday" or the date, for a separator before the first message of a day. */
export function dayLabel(ms: number, now: number): DayLabel {
  if (dayKey(ms) === dayKey(now)) return { kind: 'today' };
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (dayKey(ms) === dayKey(yesterday.getTime())) return { kind: 'yesterday' };
  return { kind: 'date', ms };
}

/** Items of the list with a separator wherever the day changes. */
export function withDaySeparators<T extends { createdAt: number }>(messages: readonly T[]): Array<{ day: string; at: number } | { message: T }> {
  const out: Array<{ day: string; at: number } | { message: T }> = [];
  let last = '';
  for (const m of messages) {
    const day = dayKey(m.createdAt);
    if (day !== last) out.push({ day, at: m.createdAt });
    last = day;
    out.push({ message: m });
  }
  return out;
}
