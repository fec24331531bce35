// In-process limiter: one Map of bucket states, the math from core/rate.ts. Each take runs without
// awaiting anything, so concurrent takes in one process are atomic. Full (idle) buckets are swept.

import { refill, take as takeToken, type BucketState } from '../core/rate.js';
import {
  checkBucketOptions, checkBucketTakes, combineOutcomes, msUntilFull,
  type BucketOptions, type BucketTake, type Limiter, type LimiterClock, type TakeAllOutcome, type TakeOutcome,
} from './limiter.js';

interface Entry { state: BucketState; fullAt: number }

export interface MemoryLimiterOptions {
  /** Defaults to Date.now. */
  now?: LimiterClock;
  /** Sweep idle buckets every this many takes (default 1000). */
  sweepEvery?: number;
}

export class MemoryLimiter implements Limiter {
  private readonly buckets = new Map<string, Entry>();
  private readonly now: LimiterClock;
  private readonly sweepEvery: number;
  private takesSinceSweep = 0;

  constructor(options: MemoryLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweepEvery = options.sweepEvery ?? 1000;
  }

  async take(key: string, opts: BucketOptions): Promise<TakeOutcome> {
    return this.takeSync(key, opts);
  }

  /** The same take without a promise, for callers inside one process that want it. */
  takeSync(key: string, opts: BucketOptions): TakeOutcome {
    const cost = checkBucketOptions(opts);
    const now = this.now();
    if (++this.takesSinceSweep >= this.sweepEvery) this.sweep(now);
    const result = takeToken(this.buckets.get(key)?.state, cost, opts.ratePerSec, opts.burst, now);
    this.store(key, result.state, opts);
    return { ok: result.ok, retryAfterMs: result.retryAfterMs, remaining: result.state.tokens };
  }

  async takeAll(items: readonly BucketTake[]): Promise<TakeAllOutcome> {
    return this.takeAllSync(items);
  }

  /** All or nothing: every bucket is judged first; tokens are taken only if all can pay. */
  takeAllSync(items: readonly BucketTake[]): TakeAllOutcome {
    const costs = checkBucketTakes(items);
    const now = this.now();
    if ((this.takesSinceSweep += items.length) >= this.sweepEvery) this.sweep(now);
    const before = items.map((it) => this.buckets.get(it.key)?.state);
    const results = items.map((it, i) => takeToken(before[i], costs[i]!, it.ratePerSec, it.burst, now));
    const allOk = results.every((r) => r.ok);
    const outcomes = items.map((it, i): TakeOutcome => {
      const r = results[i]!;
      // when another bucket refuses, this one is only brought up to date, exactly like a refused take
      const state = allOk ? r.state : refill(before[i], it.ratePerSec, it.burst, now);
      this.store(it.key, state, it);
      return { ok: r.ok, retryAfterMs: r.retryAfterMs, remaining: state.tokens };
    });
    return combineOutcomes(outcomes);
  }

  async reset(key: string): Promise<void> {
    this.buckets.delete(key);
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  private store(key: string, state: BucketState, opts: BucketOptions): void {
    this.buckets.set(key, { state, fullAt: state.updatedAt + msUntilFull(state.tokens, opts) });
  }

  /** Number of buckets held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled completely: a missing bucket is exactly a full one. */
  sweep(now = this.now()): void {
    this.takesSinceSweep = 0;
    for (const [key, entry] of this.buckets) if (entry.fullAt <= now) this.buckets.delete(key);
  }
}
