// Webhook intake logging at LOG_LEVEL=info (the default): Meta posts webhooks by the thousand, so a
// stored one writes no "incoming request"/"request completed" line, while a failure still logs.

import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryBus } from '../../src/bus/memory.js';
import { CloudApiClient } from '../../src/cloudapi/client.js';
import { signPayload } from '../../src/cloudapi/signature.js';
import { loadConfig } from '../../src/config.js';
import { buildApp, type ParleyApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/deps.js';
import { createMetrics } from '../../src/http/metrics.js';
import { MemoryLimiter } from '../../src/limiter/memory.js';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { TEST_KEY, createTenant } from '../store/fixtures.js';

let t: TestDatabase;
let app: ParleyApp;
let base: string;
const logged: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  t = await openTestDatabase('sqlite', { label: 'webhook_logging' });
  await createTenant(t.database.db); // an inbox whose app secret is 'secret'
  const logger = pino({ level: 'info' }, { write: (line: string) => { logged.push(JSON.parse(line) as Record<string, unknown>); } });
  const deps: AppDeps = {
    config: loadConfig({}), database: t.database, bus: new MemoryBus(), limiter: new MemoryLimiter(),
    cloudApi: new CloudApiClient({ baseUrl: 'http://127.0.0.1:9', apiVersion: 'v23.0' }), secretKey: TEST_KEY, now: Date.now,
    logger: logger as unknown as FastifyBaseLogger, metrics: createMetrics(t.database.db),
  };
  app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  await t?.dispose().catch(() => undefined);
});

async function postWebhook(body: string): Promise<number> {
  const res = await request(`${base}/webhooks/whatsapp`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(body, 'secret') },
  });
  await res.body.dump();
  return res.statusCode;
}

const requestLines = (url: string) => logged.filter((l) => JSON.stringify(l).includes(url) && /incoming request|request completed/.test(String(l['msg'])));

it('logs no line per stored webhook at info, though other requests are logged', async () => {
  const health = await request(`${base}/health`);
  await health.body.dump();
  expect(requestLines('/health').length).toBeGreaterThan(0); // the logger does write request lines at info
  for (let n = 0; n < 3; n++) {
    expect(await postWebhook(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: `quiet-${n}` }] }))).toBe(200);
  }
  expect(requestLines('/webhooks/whatsapp')).toEqual([]);
  expect(logged.filter((l) => l['route'] === 'webhooks')).toEqual([]);
});

it('still logs a webhook that could not be stored, as an error', async () => {
  await t.database.close();
  expect(await postWebhook(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'after-close' }] }))).toBe(503);
  const failures = logged.filter((l) => l['route'] === 'webhooks' && l['msg'] === 'request failed');
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatchObject({ level: 50 });
});
