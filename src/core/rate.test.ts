import { describe, expect, it } from 'vitest';
import { PAIR_RATE, refill, senderThroughputBucket, take, throughputBucket, type BucketState } from './rate.js';

const NOW = 1_700_000_000_000;

describe('refill', () => {
  it.each([
    ['a new bucket starts full', null, 10, 5, NOW, { tokens: 5, updatedAt: NOW }],
    ['no time passed → no tokens', { tokens: 1, updatedAt: NOW }, 10, 5, NOW, { tokens: 1, updatedAt: NOW }],
    ['100 ms at 10/s adds 1', { tokens: 1, updatedAt: NOW }, 10, 5, NOW + 100, { tokens: 2, updatedAt: NOW + 100 }],
    ['1 ms at 10/s adds 0.01', { tokens: 0, updatedAt: NOW }, 10, 5, NOW + 1, { tokens: 0.01, updatedAt: NOW + 1 }],
    ['caps at burst', { tokens: 4, updatedAt: NOW }, 10, 5, NOW + 10_000, { tokens: 5, updatedAt: NOW + 10_000 }],
    ['exactly to burst', { tokens: 0, updatedAt: NOW }, 10, 5, NOW + 500, { tokens: 5, updatedAt: NOW + 500 }],
    ['clock going back adds nothing', { tokens: 2, updatedAt: NOW }, 10, 5, NOW - 1000, { tokens: 2, updatedAt: NOW }],
  ])('%s', (_label, state, rate, burst, now, expected) => {
    const next = refill(state as BucketState | null, rate, burst, now);
    expect(next.updatedAt).toBe(expected.updatedAt);
    expect(next.tokens).toBeCloseTo(expected.tokens, 9);
  });
});

describe('take', () => {
  it('takes from a full bucket until empty, then refuses with the wait for one token', () => {
    let state: BucketState | null = null;
    for (let i = 0; i < 3; i++) {
      const r = take(state, 1, 2, 3, NOW);
      expect(r.ok).toBe(true);
      state = r.state;
    }
    const refused = take(state, 1, 2, 3, NOW);
    expect(refused).toEqual({ ok: false, state: { tokens: 0, updatedAt: NOW }, retryAfterMs: 500 });
  });

  it.each([
    ['1 ms before the token is back → refused', 499, false, 1],
    ['exactly when the token is back → ok', 500, true, 0],
    ['1 ms after → ok', 501, true, 0],
  ])('%s', (_label, wait, ok, retryAfterMs) => {
    const empty: BucketState = { tokens: 0, updatedAt: NOW };
    const r = take(empty, 1, 2, 3, NOW + wait);
    expect(r.ok).toBe(ok);
    expect(r.retryAfterMs).toBe(retryAfterMs);
  });

  it('a refused take consumes nothing', () => {
    const r = take({ tokens: 0.5, updatedAt: NOW }, 1, 1, 1, NOW);
    expect(r.ok).toBe(false);
    expect(r.state.tokens).toBe(0.5);
    expect(r.retryAfterMs).toBe(500);
  });

  it('cost larger than burst can never succeed', () => {
    const r = take(null, 10, 1, 5, NOW);
    expect(r.ok).toBe(false);
    expect(r.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('cost > 1 waits for the whole cost', () => {
    const r = take({ tokens: 1, updatedAt: NOW }, 3, 2, 5, NOW);
    expect(r.retryAfterMs).toBe(1000);
  });
});

describe('pair rate (1 per 6 s, burst 45)', () => {
  it('allows a burst of 45, then one message every 6 s', () => {
    let state: BucketState | null = null;
    for (let i = 0; i < 45; i++) {
      const r = take(state, 1, PAIR_RATE.ratePerSec, PAIR_RATE.burst, NOW);
      expect(r.ok).toBe(true);
      state = r.state;
    }
    const r46 = take(state, 1, PAIR_RATE.ratePerSec, PAIR_RATE.burst, NOW);
    expect(r46.ok).toBe(false);
    expect(r46.retryAfterMs).toBe(6000);
    expect(take(state, 1, PAIR_RATE.ratePerSec, PAIR_RATE.burst, NOW + 5999).ok).toBe(false);
    expect(take(state, 1, PAIR_RATE.ratePerSec, PAIR_RATE.burst, NOW + 6000).ok).toBe(true);
  });

  it('a burst of 20 takes 2 minutes to be repaid', () => {
    let state: BucketState | null = null;
    for (let i = 0; i < 20; i++) state = take(state, 1, PAIR_RATE.ratePerSec, PAIR_RATE.burst, NOW).state;
    expect(refill(state, PAIR_RATE.ratePerSec, PAIR_RATE.burst, NOW + 119_000).tokens).toBeLessThan(45);
    expect(refill(state, PAIR_RATE.ratePerSec, PAIR_RATE.burst, NOW + 120_000).tokens).toBeCloseTo(45, 9);
  });
});

describe('throughputBucket', () => {
  it.each([
    [80, { ratePerSec: 80, burst: 80 }],
    [1000, { ratePerSec: 1000, burst: 1000 }],
    [0.5, { ratePerSec: 0.5, burst: 1 }],
    [0, { ratePerSec: 80, burst: 80 }],
    [Number.NaN, { ratePerSec: 80, burst: 80 }],
  ])('%s mps → %o', (mps, expected) => {
    expect(throughputBucket(mps)).toEqual(expected);
  });
});

describe('senderThroughputBucket', () => {
  it.each([[80, 80, 8], [1000, 1000, 100], [20, 20, 2], [5, 5, 1], [0, 80, 8]])('%i mps → rate %i, burst %i', (mps, rate, burst) => {
    expect(senderThroughputBucket(mps)).toEqual({ ratePerSec: rate, burst });
  });
});
