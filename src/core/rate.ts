// Token-bucket math shared by every limiter (memory and Redis): pure functions of state and `now`.
// A bucket holds up to `burst` tokens and refills continuously at `ratePerSec`; it starts full.

export interface BucketState {
  /** Tokens available (fractional) as of `updatedAt`. */
  tokens: number;
  /** Epoch ms of the last refill. */
  updatedAt: number;
}

export interface BucketConfig { ratePerSec: number; burst: number }

export interface TakeResult {
  ok: boolean;
  /** The state to store (unchanged tokens when refused, but refilled up to `now`). */
  state: BucketState;
  /** 0 when ok; otherwise ms until `cost` tokens are available (Infinity if cost > burst). */
  retryAfterMs: number;
}

/**
 * Pair rate limit: one message every 6 s to the same user, bursts of up to 45 "borrowing" future
 * quota (error 131056). A bucket of 45 refilled at 1/6 per second is exactly that: after a burst of
 * 20 it takes 20 × 6 s = 2 min to be whole again.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/about-the-platform
 */
export const PAIR_RATE: Readonly<BucketConfig> = Object.freeze({ ratePerSec: 1 / 6, burst: 45 });

/** Default Cloud API throughput per number: 80 messages/s (error 130429 beyond it). */
export const DEFAULT_THROUGHPUT_MPS = 80;

/** A per-number throughput bucket: `mps` per second with at most one second of burst. */
export function throughputBucket(mps: number): BucketConfig {
  const rate = Number.isFinite(mps) && mps > 0 ? mps : DEFAULT_THROUGHPUT_MPS;
  return { ratePerSec: rate, burst: Math.max(1, rate) };
}

/** The bucket at `now`: tokens added for elapsed time, capped at burst. A clock going back adds nothing. */
export function refill(state: BucketState | null | undefined, ratePerSec: number, burst: number, now: number): BucketState {
  if (!state) return { tokens: burst, updatedAt: now };
  const elapsedMs = Math.max(0, now - state.updatedAt);
  const tokens = Math.min(burst, Math.max(0, state.tokens) + (elapsedMs * ratePerSec) / 1000);
  return { tokens, updatedAt: Math.max(state.updatedAt, now) };
}

/** Take `cost` tokens if available. Refused takes consume nothing. */
export function take(
  state: BucketState | null | undefined,
  cost: number,
  ratePerSec: number,
  burst: number,
  now: number,
): TakeResult {
  const current = refill(state, ratePerSec, burst, now);
  // Tolerate float dust (e.g. 6 s at 1/6 per s) so an exact refill boundary is honoured.
  if (current.tokens + 1e-9 >= cost) {
    return { ok: true, state: { tokens: Math.max(0, current.tokens - cost), updatedAt: current.updatedAt }, retryAfterMs: 0 };
  }
  if (cost > burst || ratePerSec <= 0) return { ok: false, state: current, retryAfterMs: Number.POSITIVE_INFINITY };
  // Subtract float dust before rounding up, so 1.0000000000000009 ms is 1 ms, not 2.
  const retryAfterMs = Math.max(1, Math.ceil(((cost - current.tokens) / ratePerSec) * 1000 - 1e-6));
  return { ok: false, state: current, retryAfterMs };
}

/**
 * The bucket Parley paces a number with: the number's full rate but a tenth of a second of burst,
 * where Meta's bucket holds a whole second — requests that bunch up on the network still fit Meta's
 * bucket, so pacing never earns a 130429. https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput
 */
export function senderThroughputBucket(mps: number): BucketConfig {
  const { ratePerSec } = throughputBucket(mps);
  return { ratePerSec, burst: Math.max(1, Math.floor(ratePerSec / 10)) };
}

/** Throughput of a number after Meta's automatic upgrade (phone_number_quality_update THROUGHPUT_UPGRADE). */
export const UPGRADED_THROUGHPUT_MPS = 1000;
