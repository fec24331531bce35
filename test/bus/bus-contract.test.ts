// One contract, two buses: the in-process bus and the Redis bus (publisher and subscriber on
// separate instances, so separate connections). Redis at TEST_REDIS_URL is required, not optional.

import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { Bus, BusHandler } from '../../src/bus/bus.js';
import { MemoryBus } from '../../src/bus/memory.js';
import { RedisBus } from '../../src/bus/redis.js';
import { TEST_REDIS_URL as REDIS_URL } from '../helpers/test-env.js';

interface Pair { publisher: Bus; subscriber: Bus; close(): Promise<void> }

const implementations: Array<[string, () => Pair]> = [
  ['memory', () => {
    const bus = new MemoryBus();
    return { publisher: bus, subscriber: bus, close: () => bus.close() };
  }],
  ['redis', () => {
    const prefix = `test:bus:${randomBytes(6).toString('hex')}:`;
    const publisher = new RedisBus({ connection: REDIS_URL, prefix, redisOptions: { maxRetriesPerRequest: 1 } });
    const subscriber = new RedisBus({ connection: REDIS_URL, prefix, redisOptions: { maxRetriesPerRequest: 1 } });
    return { publisher, subscriber, close: async () => { await publisher.close(); await subscriber.close(); } };
  }],
];

/** A handler that records events and lets a test await the n-th one (fails after 5 s, no timing asserted). */
function recorder(): { handler: BusHandler; events: unknown[]; waitFor(n: number): Promise<unknown[]> } {
  const events: unknown[] = [];
  const waiters: Array<{ n: number; resolve: (e: unknown[]) => void }> = [];
  const handler: BusHandler = (event) => {
    events.push(event);
    for (const w of waiters.filter((w) => events.length >= w.n)) w.resolve([...events]);
  };
  const waitFor = (n: number) => new Promise<unknown[]>((resolve, reject) => {
    if (events.length >= n) return resolve([...events]);
    waiters.push({ n, resolve });
    setTimeout(() => reject(new Error(`expected ${n} events, got ${events.length}`)), 5_000).unref();
  });
  return { handler, events, waitFor };
}

describe.each(implementations)('bus contract: %s', (_name, make) => {
  let pair: Pair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it('delivers a published JSON event to a subscriber, as a copy', async () => {
    pair = make();
    const r = recorder();
    await pair.subscriber.subscribe('inbox', r.handler);
    const event = { type: 'message.created', id: 7, tags: ['a', 'ü'], nested: { ok: true } };
    await pair.publisher.publish('inbox', event);
    const [got] = await r.waitFor(1);
    expect(got).toEqual(event);
    expect(got).not.toBe(event);
  });

  it('stops delivering after unsubscribe, and unsubscribing twice is harmless', async () => {
    pair = make();
    const gone = recorder();
    const barrier = recorder();
    const off = await pair.subscriber.subscribe('t', gone.handler);
    await pair.subscriber.subscribe('t', barrier.handler);
    await pair.publisher.publish('t', { n: 1 });
    await gone.waitFor(1);
    await off();
    await off();
    await pair.publisher.publish('t', { n: 2 });
    expect(await barrier.waitFor(2)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(gone.events).toEqual([{ n: 1 }]);
  });

  it('delivers to two subscribers of the same topic, each with its own copy', async () => {
    pair = make();
    const a = recorder();
    const b = recorder();
    await pair.subscriber.subscribe('t', a.handler);
    await pair.subscriber.subscribe('t', b.handler);
    await pair.publisher.publish('t', { hello: 'world' });
    const [[ea], [eb]] = await Promise.all([a.waitFor(1), b.waitFor(1)]);
    expect(ea).toEqual({ hello: 'world' });
    expect(eb).toEqual({ hello: 'world' });
    expect(ea).not.toBe(eb);
  });

  it('keeps topics isolated, in publish order', async () => {
    pair = make();
    const a = recorder();
    const b = recorder();
    await pair.subscriber.subscribe('topic-a', a.handler);
    await pair.subscriber.subscribe('topic-b', b.handler);
    await pair.publisher.publish('topic-a', 'a1');
    await pair.publisher.publish('topic-b', 'b1');
    await pair.publisher.publish('topic-a', 'a2');
    await pair.publisher.publish('topic-b', 'b2');
    await pair.publisher.publish('topic-c', 'c1');
    expect(await a.waitFor(2)).toEqual(['a1', 'a2']);
    expect(await b.waitFor(2)).toEqual(['b1', 'b2']);
    // topic-c was published before b2 arrived, and nobody listens to it: nothing leaked anywhere
    expect([a.events, b.events]).toEqual([['a1', 'a2'], ['b1', 'b2']]);
  });

  it('a throwing handler doesn\'t stop delivery to the others', async () => {
    pair = make();
    const ok = recorder();
    await pair.subscriber.subscribe('t', () => { throw new Error('boom'); });
    await pair.subscriber.subscribe('t', async () => { throw new Error('async boom'); });
    await pair.subscriber.subscribe('t', ok.handler);
    await pair.publisher.publish('t', 1);
    await pair.publisher.publish('t', 2);
    expect(await ok.waitFor(2)).toEqual([1, 2]);
  });

  it('refuses an event JSON cannot carry', async () => {
    pair = make();
    await expect(pair.publisher.publish('t', undefined)).rejects.toThrow(/JSON/);
  });
});

describe('redis bus specifics', () => {
  it('puts its prefix on the wire channel, so other prefixes never see the event', async () => {
    const prefix = `test:bus:${randomBytes(6).toString('hex')}:`;
    const raw = new Redis(REDIS_URL);
    const seen: Array<[string, string]> = [];
    const got = new Promise<void>((resolve) => raw.on('message', (c: string, m: string) => { seen.push([c, m]); resolve(); }));
    await raw.subscribe(`${prefix}inbox`);
    const other = new RedisBus({ connection: REDIS_URL, prefix: `${prefix}other:` });
    const stray = recorder();
    await other.subscribe('inbox', stray.handler);
    const bus = new RedisBus({ connection: REDIS_URL, prefix });
    try {
      await bus.publish('inbox', { a: 1 });
      await got;
      expect(seen).toEqual([[`${prefix}inbox`, '{"a":1}']]);
      expect(stray.events).toEqual([]);
    } finally {
      await bus.close();
      await other.close();
      raw.disconnect();
    }
  });

  it('does not close a client it was given', async () => {
    const client = new Redis(REDIS_URL);
    const bus = new RedisBus({ connection: client, prefix: `test:bus:${randomBytes(6).toString('hex')}:` });
    await bus.close();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });
});
