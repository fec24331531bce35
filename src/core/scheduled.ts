// Send later: whether a message written now may be set to go at `sendAt`. Pure. The policy decides the
// message again when it goes (the window, consent and limits of that moment); this only refuses what
// is sure to fail or makes no sense: a time too soon or too far, and a free-form message after the
// customer service window as it stands (a later customer message would extend it, but nobody can count on one).

import { windowExpiresAt, type EpochMs } from './window.js';

export const SCHEDULE_MIN_AHEAD_MS = 60_000;
export const SCHEDULE_MAX_AHEAD_MS = 30 * 24 * 60 * 60 * 1000;
/** Messages waiting to be sent later in one conversation. */
export const SCHEDULED_PER_CONVERSATION = 20;

export type ScheduleProblem =
  | { kind: 'time_invalid'; earliest: EpochMs; latest: EpochMs }
  | { kind: 'after_window'; windowClosesAt: EpochMs | null };

export function scheduleProblem(
  input: { contentType: string; sendAt: EpochMs; lastInboundAt: EpochMs | null },
  now: EpochMs,
): ScheduleProblem | null {
  const earliest = now + SCHEDULE_MIN_AHEAD_MS;
  const latest = now + SCHEDULE_MAX_AHEAD_MS;
  if (!Number.isFinite(input.sendAt) || input.sendAt < earliest || input.sendAt > latest) return { kind: 'time_invalid', earliest, latest };
  if (input.contentType === 'template') return null;
  const closes = windowExpiresAt(input.lastInboundAt);
  if (closes === null || input.sendAt >= closes) return { kind: 'after_window', windowClosesAt: closes };
  return null;
}
