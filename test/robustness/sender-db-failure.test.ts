// The database going away while a send is being retried must not crash Parley: the sender logs it
// and stops cleanly (the outbox lease brings the row back once the database is there again).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { MemoryBus } from '../../src/bus/memory.js';
import { CloudApiClient } from '../../src/cloudapi/client.js';
import { loadConfig } from '../../src/config.js';
import { createMetrics } from '../../src/http/metrics.js';
import type { AppDeps } from '../../src/http/deps.js';
import { MemoryLimiter } from '../../src/limiter/memory.js';
import { insertOutboundMessage } from '../../src/store/queries/messages.js';
import { Sender } from '../../src/workers/sender.js';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { TEST_KEY, createTenant, createThread } from '../store/fixtures.js';

let t: TestDatabase;
let server: Server;

beforeAll(async () => { t = await openTestDatabase('sqlite', { label: 'sender_db_failure' }); });
afterAll(async () => {
  server?.close();
  await t?.dispose().catch(() => undefined);
});

it('survives the database closing mid-send: no unhandled rejection, stop() resolves', async () => {
  const { db } = t.database;
  const tenant = await createTenant(db);
  const { contact, conversation } = await createThread(db, tenant);
  await insertOutboundMessage(db, tenant.workspaceId, {
    inboxId: tenant.inbox.id, conversationId: conversation.id, contactId: contact.id,
    type: 'text', content: { type: 'text', body: 'hello' },
  }, { recipient: contact.waId });

  // A "Cloud API" that, once the send arrives, closes Parley's database and answers 503: the
  // sender's retry write then fails too.
  let calls = 0;
  server = createServer((_req, res) => {
    calls++;
    void t.database.close().then(() => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":2,"message":"down"}}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
  process.on('unhandledRejection', onUnhandled);
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => { logged.push(line); } }) as unknown as FastifyBaseLogger;
  const deps: AppDeps = {
    config: loadConfig({}), database: t.database, bus: new MemoryBus(), limiter: new MemoryLimiter(),
    cloudApi: new CloudApiClient({ baseUrl: base, apiVersion: 'v23.0' }), secretKey: TEST_KEY, now: Date.now,
    logger, metrics: createMetrics(db),
  };
  const sender = new Sender(deps, {
    owner: 'test', concurrency: 1, pollMs: 10, leaseMs: 60_000, reconcileMs: 50, maxAttempts: 8, retryBaseMs: 10, retryMaxMs: 100,
  });
  try {
    sender.start();
    await expect.poll(() => logged.some((l) => l.includes('sending failed unexpectedly')), { timeout: 10_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the failing retry write settle
    await sender.stop();
    expect(calls).toBe(1);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await deps.cloudApi.close();
  }
});
