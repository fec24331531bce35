// Exponential back-off with full jitter for retries (sender, webhook-event processing). Pure: the
// random draw in [0, 1) is an argument, so callers choose the source and tests pin it.
// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/

/** Delay before retry number `attempt` (1-based): uniform in [ceiling/2, ceiling], ceiling = min(max, base·2^(attempt−1)). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const exponent = Math.max(0, Math.min(30, Math.floor(attempt) - 1));
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random, 0), 1);
  // Half fixed, half jitter: spreads retries without ever retrying immediately.
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/**
 * Meta's advice after a pair-rate refusal (131056): retry after 4^X seconds, X = 0, 1, 2… (capped at
 * 4^6 s ≈ 68 min). https://developers.facebook.com/documentation/business-messaging/whatsapp/about-the-platform
 */
export function pairRateRetryMs(attempt: number): number {
  return 4 ** Math.max(0, Math.min(Math.floor(attempt), 6)) * 1000;
}
