// Two Parley processes on one PostgreSQL and one Redis bus: a message processed by one reaches a
// socket held by the other, typing crosses between them, and each lists the other's operators' presence.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startParley, type Parley } from '../../src/compose.js';
import { eventually, httpClient, REDIS_URL, startHarness, type Harness } from './harness.js';
import { connectLive, conversationOf, customerWrites, operator, type Operator } from './live-steps.js';

describe('live events across two processes (postgres + redis)', () => {
  let h: Harness;
  let second: Parley;
  let dir: string;
  let owner: Operator;
  let agent: Operator;

  beforeAll(async () => {
    h = await startHarness({ db: 'postgres' });
    dir = await mkdtemp(join(tmpdir(), 'parley-live-b-'));
    const a = h.parley.config;
    // The second process: same database and bus, no sandbox of its own, no workers (it only serves).
    second = await startParley(loadConfig({
      PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', MEDIA_DIR: join(dir, 'media'),
      DATABASE_URL: a.databaseUrl, REDIS_URL, REDIS_PREFIX: a.redisPrefix,
      ENCRYPTION_KEY: a.encryptionKey!.toString('hex'), SANDBOX: 'false', DEMO: 'false', CLOUD_API_BASE_URL: h.parley.sandbox!.url,
    }), { workers: false });
    owner = await operator(h, 'owner');
    agent = await operator(h, 'agent');
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('delivers a message processed by one process to a socket on the other', async () => {
    const onB = await connectLive(second.url, owner.cookie);
    try {
      await customerWrites(h, '79161234567', 'через Redis');
      const event = await onB.waitFor((e) => e.kind === 'message.created', 'message.created on the other process', 5_000);
      expect(event.conversationId).toBe((await conversationOf(h, '79161234567')).id);
    } finally {
      await onB.close();
    }
  });

  it('relays typing from a socket on one process to a socket on the other, and shares presence', async () => {
    const conversation = await conversationOf(h, '79161234567');
    const onA = await connectLive(h.parley.url, agent.cookie);
    const onB = await connectLive(second.url, owner.cookie);
    try {
      onA.send({ type: 'typing', conversationId: conversation.id });
      const typing = await onB.waitFor((e) => e.kind === 'typing', 'typing across processes', 15_000);
      expect(typing).toMatchObject({ conversationId: conversation.id, userId: agent.id });
      // Each process lists the operator connected to the other one (over the Redis bus between two busy
      // processes under the full suite's load on two cores: seconds, not milliseconds).
      const apiB = httpClient(second.url, { authorization: `Bearer ${h.parley.demo!.apiKey}` });
      await eventually(async () => {
        const onSecond = (await apiB.get('/api/v1/presence')).body as Array<{ userId: string; status: string }>;
        const onFirst = (await h.api.get('/api/v1/presence')).body as Array<{ userId: string; status: string }>;
        return onSecond.some((p) => p.userId === agent.id && p.status === 'online') && onFirst.some((p) => p.userId === owner.id && p.status === 'online');
      }, { what: 'presence shared by both processes', timeoutMs: 15_000 });
    } finally {
      await Promise.all([onA.close(), onB.close()]);
    }
  });
});
