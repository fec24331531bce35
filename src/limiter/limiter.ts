// The limiter: token buckets keyed by string (per-number throughput, per-recipient pair rate, …),
// shared by every sender. The bucket math is core/rate.ts; implementations only store the state.

export interface BucketOptions {
  /** Tokens added per second (> 0). */
  ratePerSec: number;
  /** Bucket capacity (> 0); a bucket starts full. */
  burst: number;
  /** Tokens this take needs; default 1. */
  cost?: number;
}

export interface TakeOutcome {
  ok: boolean;
  /** 0 when ok; otherwise ms until the cost is available (Infinity when cost > burst: never). */
  retryAfterMs: number;
  /** Tokens left in the bucket after this take. */
  remaining: number;
}

export interface BucketTake extends BucketOptions { key: string }

export interface TakeAllOutcome {
  /** True when every bucket held its cost, and all were taken. */
  ok: boolean;
  /** 0 when ok; otherwise the longest wait among the refusing buckets. */
  retryAfterMs: number;
  /** Per bucket, in request order: whether it alone could pay, its wait and its tokens after. */
  buckets: TakeOutcome[];
}

export interface Limiter {
  /** Atomically takes `cost` tokens from the bucket `key` if it holds them; a refused take consumes nothing. */
  take(key: string, opts: BucketOptions): Promise<TakeOutcome>;
  /**
   * All or nothing over several buckets (e.g. a number's throughput and a recipient's pair rate), so a
   * refusal by one never spends another's tokens. Keys must be distinct.
   */
  takeAll(items: readonly BucketTake[]): Promise<TakeAllOutcome>;
  /** Forgets the bucket: the next take sees it full. */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Epoch milliseconds; injectable so tests never sleep. */
export type LimiterClock = () => number;

/** Bad options are a programming error: fail loudly rather than silently never (or always) limiting. */
export function checkBucketOptions(opts: BucketOptions): number {
  const cost = opts.cost ?? 1;
  if (!(Number.isFinite(opts.ratePerSec) && opts.ratePerSec > 0)) throw new RangeError(`ratePerSec must be a positive number, got ${opts.ratePerSec}`);
  if (!(Number.isFinite(opts.burst) && opts.burst > 0)) throw new RangeError(`burst must be a positive number, got ${opts.burst}`);
  if (!(Number.isFinite(cost) && cost >= 0)) throw new RangeError(`cost must be a non-negative number, got ${cost}`);
  return cost;
}

/** Milliseconds for an empty-ish bucket to be full again; after that, forgetting it changes nothing. */
export function msUntilFull(tokens: number, opts: BucketOptions): number {
  return Math.ceil(((opts.burst - tokens) / opts.ratePerSec) * 1000);
}

/** Checks every item and that keys are distinct; returns each item's cost. */
export function checkBucketTakes(items: readonly BucketTake[]): number[] {
  if (items.length === 0) throw new RangeError('takeAll needs at least one bucket');
  const keys = new Set(items.map((i) => i.key));
  if (keys.size !== items.length) throw new RangeError('takeAll keys must be distinct');
  return items.map(checkBucketOptions);
}

/** Overall outcome from per-bucket ones: ok only if all are; the wait is the longest refusal's. */
export function combineOutcomes(buckets: TakeOutcome[]): TakeAllOutcome {
  const ok = buckets.every((b) => b.ok);
  const retryAfterMs = ok ? 0 : Math.max(...buckets.filter((b) => !b.ok).map((b) => b.retryAfterMs));
  return { ok, retryAfterMs, buckets };
}
