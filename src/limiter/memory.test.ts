import { describe, expect, it } from 'vitest';
import { MemoryLimiter } from './memory.js';

const T0 = 1_700_000_000_000;

describe('MemoryLimiter idle sweep', () => {
  it.each([
    // [tokens taken, ms later, buckets left after sweep]
    [1, 0, 1],
    [1, 499, 1], // 1 token at 2/s: full again after 500 ms
    [1, 500, 0],
    [3, 1499, 1],
    [3, 1500, 0],
  ])('take %i, sweep after %i ms → %i bucket(s)', (taken, later, left) => {
    let now = T0;
    const limiter = new MemoryLimiter({ now: () => now });
    limiter.takeSync('k', { ratePerSec: 2, burst: 3, cost: taken });
    now += later;
    limiter.sweep();
    expect(limiter.size).toBe(left);
  });

  it('a swept bucket behaves exactly like the full bucket it was', () => {
    let now = T0;
    const limiter = new MemoryLimiter({ now: () => now, sweepEvery: 1 });
    const opts = { ratePerSec: 1, burst: 2 };
    limiter.takeSync('k', opts);
    limiter.takeSync('k', opts);
    now += 2000;
    limiter.takeSync('other', opts); // triggers the sweep; 'k' is full again by now
    expect(limiter.size).toBe(1);
    expect([limiter.takeSync('k', opts).ok, limiter.takeSync('k', opts).ok, limiter.takeSync('k', opts).ok]).toEqual([true, true, false]);
  });
});
