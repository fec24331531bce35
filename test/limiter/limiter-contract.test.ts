// One contract, two limiters: in-process (core/rate.ts) and Redis (the Lua script). Time is injected
// so nothing sleeps; a last block proves both produce identical outcomes for the same history.
// Redis at TEST_REDIS_URL is required, not optional; each limiter gets a random key prefix.

import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { BucketOptions, Limiter, LimiterClock, TakeOutcome } from '../../src/limiter/limiter.js';
import { MemoryLimiter } from '../../src/limiter/memory.js';
import { RedisLimiter } from '../../src/limiter/redis.js';
import { TEST_REDIS_URL as REDIS_URL } from '../helpers/test-env.js';

const T0 = 1_700_000_000_000;

const randomPrefix = () => `test:rl:${randomBytes(6).toString('hex')}:`;

/** A limiter factory: `clock` undefined means the implementation's real clock (Date.now / Redis TIME). */
type Make = (clock?: LimiterClock) => Limiter;

const implementations: Array<[string, Make]> = [
  ['memory', (clock) => new MemoryLimiter(clock ? { now: clock } : {})],
  ['redis', (clock) => new RedisLimiter({ connection: REDIS_URL, prefix: randomPrefix(), ...(clock ? { now: clock } : {}) })],
];

function fakeClock(start = T0): { now: LimiterClock; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; }, set: (ms) => { t = ms; } };
}

async function takeMany(limiter: Limiter, key: string, opts: BucketOptions, n: number): Promise<TakeOutcome[]> {
  const out: TakeOutcome[] = [];
  for (let i = 0; i < n; i++) out.push(await limiter.take(key, opts));
  return out;
}

describe.each(implementations)('limiter contract: %s', (_name, make) => {
  const open: Limiter[] = [];
  const create: Make = (clock) => {
    const l = make(clock);
    open.push(l);
    return l;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  it('allows the burst, then refuses with the wait for one token', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const opts = { ratePerSec: 2, burst: 5 };
    const outcomes = await takeMany(limiter, 'n1', opts, 6);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true, false]);
    expect(outcomes.map((o) => o.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(outcomes[5]!.retryAfterMs).toBe(500);
    expect(outcomes.slice(0, 5).every((o) => o.retryAfterMs === 0)).toBe(true);
  });

  it('refills with time: refused 1 ms early, allowed on the dot, capped at burst', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const opts = { ratePerSec: 4, burst: 3 };
    await takeMany(limiter, 'k', opts, 3);
    clock.advance(249);
    expect(await limiter.take('k', opts)).toEqual({ ok: false, retryAfterMs: 1, remaining: expect.closeTo(0.996, 9) });
    clock.advance(1);
    expect((await limiter.take('k', opts)).ok).toBe(true);
    clock.advance(60_000);
    const after = await takeMany(limiter, 'k', opts, 4);
    expect(after.map((o) => o.ok)).toEqual([true, true, true, false]);
  });

  it('fractional rates: the Cloud API pair rate (45 burst, one per 6 s)', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const pair = { ratePerSec: 1 / 6, burst: 45 };
    const burst = await takeMany(limiter, 'pair', pair, 46);
    expect(burst.filter((o) => o.ok)).toHaveLength(45);
    expect(burst[45]!.retryAfterMs).toBe(6000);
    clock.advance(6000);
    expect((await limiter.take('pair', pair)).ok).toBe(true);
    expect((await limiter.take('pair', pair)).retryAfterMs).toBe(6000);
  });

  it('honours cost: partial, zero, and more than the burst (never)', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const opts = { ratePerSec: 1, burst: 5 };
    expect(await limiter.take('c', { ...opts, cost: 3 })).toEqual({ ok: true, retryAfterMs: 0, remaining: 2 });
    expect(await limiter.take('c', { ...opts, cost: 3 })).toEqual({ ok: false, retryAfterMs: 1000, remaining: 2 });
    expect(await limiter.take('c', { ...opts, cost: 0 })).toEqual({ ok: true, retryAfterMs: 0, remaining: 2 });
    expect(await limiter.take('c', { ...opts, cost: 6 })).toEqual({ ok: false, retryAfterMs: Number.POSITIVE_INFINITY, remaining: 2 });
    expect(await limiter.take('c', { ...opts, cost: 2 })).toEqual({ ok: true, retryAfterMs: 0, remaining: 0 });
  });

  it('keeps keys independent', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const opts = { ratePerSec: 1, burst: 2 };
    await takeMany(limiter, 'a', opts, 2);
    expect((await limiter.take('a', opts)).ok).toBe(false);
    expect(await takeMany(limiter, 'b', opts, 3)).toMatchObject([{ ok: true }, { ok: true }, { ok: false }]);
    expect((await limiter.take('a:b', opts)).ok).toBe(true);
  });

  it('a clock going backwards adds no tokens', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const opts = { ratePerSec: 1, burst: 1 };
    expect((await limiter.take('back', opts)).ok).toBe(true);
    clock.advance(-5000);
    expect(await limiter.take('back', opts)).toMatchObject({ ok: false, retryAfterMs: 1000 });
    clock.advance(5999);
    expect(await limiter.take('back', opts)).toMatchObject({ ok: false, retryAfterMs: 1 });
  });

  it('reset makes the bucket full again, and only that bucket', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const opts = { ratePerSec: 1, burst: 2 };
    await takeMany(limiter, 'r1', opts, 2);
    await takeMany(limiter, 'r2', opts, 2);
    await limiter.reset('r1');
    expect((await takeMany(limiter, 'r1', opts, 3)).map((o) => o.ok)).toEqual([true, true, false]);
    expect((await limiter.take('r2', opts)).ok).toBe(false);
  });

  it('200 concurrent takes never exceed the burst (frozen clock)', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const opts = { ratePerSec: 1, burst: 50 };
    const results = await Promise.all(Array.from({ length: 200 }, () => limiter.take('hot', opts)));
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    expect(results.filter((r) => !r.ok).every((r) => r.retryAfterMs === 1000)).toBe(true);
  });

  it('200 concurrent takes never exceed the burst (real clock, negligible refill)', async () => {
    const limiter = create();
    // one token per 1000 s: even a very slow run cannot refill one during the test
    const opts = { ratePerSec: 0.001, burst: 50 };
    const results = await Promise.all(Array.from({ length: 200 }, () => limiter.take('hot', opts)));
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r.retryAfterMs).toBeGreaterThan(0);
      expect(r.retryAfterMs).toBeLessThanOrEqual(1_000_000);
    }
  });

  it('takeAll is all or nothing: a refusing bucket spends no other bucket\'s tokens', async () => {
    const clock = fakeClock();
    const limiter = create(clock.now);
    const number = { key: 'num', ratePerSec: 10, burst: 2 };
    const pair = { key: 'pair:a', ratePerSec: 1 / 6, burst: 1 };
    expect(await limiter.takeAll([number, pair])).toEqual({
      ok: true, retryAfterMs: 0, buckets: [{ ok: true, retryAfterMs: 0, remaining: 1 }, { ok: true, retryAfterMs: 0, remaining: 0 }],
    });
    expect(await limiter.takeAll([number, pair])).toEqual({
      ok: false, retryAfterMs: 6000, buckets: [{ ok: true, retryAfterMs: 0, remaining: 1 }, { ok: false, retryAfterMs: 6000, remaining: 0 }],
    });
    // the number's token was not spent by the refused takeAll
    expect(await limiter.take('num', number)).toEqual({ ok: true, retryAfterMs: 0, remaining: 0 });
    // both refusing: the longer wait wins
    const both = await limiter.takeAll([number, pair]);
    expect([both.ok, both.retryAfterMs, both.buckets.map((b) => b.retryAfterMs)]).toEqual([false, 6000, [100, 6000]]);
    clock.advance(6000);
    expect((await limiter.takeAll([number, { ...pair, key: 'pair:b' }])).ok).toBe(true);
  });

  it('takeAll rejects an empty list and repeated keys', async () => {
    const limiter = create(fakeClock().now);
    await expect(limiter.takeAll([])).rejects.toThrow(RangeError);
    await expect(limiter.takeAll([{ key: 'x', ratePerSec: 1, burst: 1 }, { key: 'x', ratePerSec: 1, burst: 1 }])).rejects.toThrow(RangeError);
  });

  it('200 concurrent takeAlls never exceed the shared burst', async () => {
    const limiter = create(fakeClock().now);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => limiter.takeAll([
      { key: 'shared-number', ratePerSec: 1, burst: 50 }, { key: `recipient-${i % 100}`, ratePerSec: 1 / 6, burst: 45 },
    ])));
    expect(results.filter((r) => r.ok)).toHaveLength(50);
  });

  it.each([
    [{ ratePerSec: 0, burst: 1 }],
    [{ ratePerSec: -1, burst: 1 }],
    [{ ratePerSec: Number.NaN, burst: 1 }],
    [{ ratePerSec: Number.POSITIVE_INFINITY, burst: 1 }],
    [{ ratePerSec: 1, burst: 0 }],
    [{ ratePerSec: 1, burst: 1, cost: -1 }],
    [{ ratePerSec: 1, burst: 1, cost: Number.NaN }],
  ])('rejects invalid options %j', async (opts) => {
    const limiter = create(fakeClock().now);
    await expect(limiter.take('bad', opts)).rejects.toThrow(RangeError);
  });
});

describe('redis limiter specifics', () => {
  const raw = new Redis(REDIS_URL);
  afterAll(() => raw.disconnect());

  it('instances on separate connections share buckets by the server clock', async () => {
    const prefix = randomPrefix();
    const a = new RedisLimiter({ connection: REDIS_URL, prefix });
    const b = new RedisLimiter({ connection: REDIS_URL, prefix });
    try {
      const opts = { ratePerSec: 0.01, burst: 3 };
      expect((await takeMany(a, 'shared', opts, 3)).every((o) => o.ok)).toBe(true);
      const refused = await b.take('shared', opts);
      expect(refused.ok).toBe(false);
      // one token per 100 s: the wait is positive and at most one token's worth
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(100_000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('stores under its prefix, and idle buckets expire once they would be full again', async () => {
    const prefix = randomPrefix();
    const limiter = new RedisLimiter({ connection: raw, prefix, idleGraceMs: 2_000 });
    await limiter.take('ttl', { ratePerSec: 10, burst: 5, cost: 5 });
    const ttl = await raw.pttl(`${prefix}ttl`);
    // empty bucket: 500 ms to refill + 2 s grace
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2_500);
    expect(await raw.hgetall(`${prefix}ttl`)).toMatchObject({ t: '0' });
    await limiter.close();
    expect(await raw.ping()).toBe('PONG'); // a client it was given stays open
  });
});

describe('memory and redis agree on the same history', () => {
  /** Deterministic PRNG (mulberry32) so the history is the same on every run. */
  function prng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each([1, 2, 3])('seed %i: 600 takes (some all-or-nothing pairs) over 4 keys give identical outcomes', async (seed) => {
    const rnd = prng(seed);
    const configs: BucketOptions[] = [
      { ratePerSec: 80, burst: 80 }, { ratePerSec: 1 / 6, burst: 45 }, { ratePerSec: 3.7, burst: 2.5 }, { ratePerSec: 1000, burst: 1 },
    ];
    const clock = fakeClock();
    const memory = new MemoryLimiter({ now: clock.now });
    const redis = new RedisLimiter({ connection: REDIS_URL, prefix: randomPrefix(), now: clock.now });
    try {
      const seen: Array<[TakeOutcome, TakeOutcome]> = [];
      for (let i = 0; i < 600; i++) {
        const k = Math.floor(rnd() * configs.length);
        const cost = [1, 1, 1, 2, 0.5, 50][Math.floor(rnd() * 6)]!;
        const opts = { ...configs[k]!, cost };
        // mostly tiny steps (fractional ms), sometimes long gaps, rarely a step back
        const r = rnd();
        clock.advance(r < 0.85 ? rnd() * 5 : r < 0.97 ? rnd() * 8000 : -rnd() * 100);
        if (rnd() < 0.3) {
          // an all-or-nothing take over this bucket and the next one
          const j = (k + 1) % configs.length;
          const items = [{ key: `k${k}`, ...opts }, { key: `k${j}`, ...configs[j]! }];
          const [m, r2] = [memory.takeAllSync(items), await redis.takeAll(items)];
          seen.push([m.buckets[0]!, r2.buckets[0]!], [m.buckets[1]!, r2.buckets[1]!]);
        } else {
          seen.push([memory.takeSync(`k${k}`, opts), await redis.take(`k${k}`, opts)]);
        }
      }
      const [mem, red] = [seen.map((s) => s[0]), seen.map((s) => s[1])];
      expect(red).toEqual(mem);
      // the history exercised both outcomes, so agreement is not trivial
      const refusedWithWait = mem.filter((o) => !o.ok && Number.isFinite(o.retryAfterMs)).length;
      expect(mem.filter((o) => o.ok).length).toBeGreaterThan(100);
      expect(refusedWithWait).toBeGreaterThan(50);
    } finally {
      await memory.close();
      await redis.close();
    }
  });
});
