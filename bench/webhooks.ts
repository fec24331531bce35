// Benchmark: signed ≈1.5 KB status webhooks durably stored per second by Parley's intake
// (`/webhooks/whatsapp`, SQLite in a temp dir, workers off: intake only) versus a bare Fastify
// endpoint that only checks X-Hub-Signature-256 over the raw body, in the same process setup.
// The load comes from a forked client (64 in flight, keep-alive undici Pool). Goal: ratio ≥ 0.75.
// Run alone: `npx tsx bench/webhooks.ts` (BENCH_SECONDS=3 by default).

import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { checkSignature } from '../src/cloudapi/signature.js';
import { createInbox } from '../src/store/queries/inboxes.js';
import { countWebhookEvents } from '../src/store/queries/webhook-events.js';
import { createWorkspace } from '../src/store/queries/workspaces.js';
import {
  benchDatabase, benchSeconds, cpuSampler, isMain, round, runAsMain, startBenchParley, startLoadClient, type LoadClient, type LoadReport,
} from './harness.js';
import { BENCH_DISPLAY_NUMBER, BENCH_PHONE_NUMBER_ID, BENCH_WABA_ID } from './webhook-payload.js';

const CONCURRENCY = 64;
const WARMUP_SECONDS = 1;
const APP_SECRET = 'bench-app-secret-5f1c';
const GOAL = 0.75;

export interface WebhooksBenchResult {
  bareRps: number;
  parleyRps: number;
  ratio: number;
  parleyP50Ms: number;
  parleyP99Ms: number;
  bareP99Ms: number;
  /** Acknowledged (200) by Parley, warm-up included, and rows found in webhook_events afterwards. */
  acknowledged: number;
  stored: number;
}

/** A load run plus the server process's CPU (cores) over the measured span. */
type Measured = LoadReport & { serverCpu: number };

async function measureBare(client: LoadClient, seconds: number): Promise<Measured> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 3 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  app.post('/webhooks/whatsapp', async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!checkSignature(raw, req.headers['x-hub-signature-256'], APP_SECRET).ok) return reply.status(401).send({ ok: false });
    return reply.status(200).send({ ok: true });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const cpu = cpuSampler();
  const report = await client.run({ base, path: '/webhooks/whatsapp', seconds, warmupSeconds: WARMUP_SECONDS, concurrency: CONCURRENCY, secret: APP_SECRET, prefix: 'bare' });
  const serverCpu = cpu.within(report.startedAt, report.endedAt);
  await app.close();
  return { ...report, serverCpu };
}

async function measureParley(client: LoadClient, seconds: number): Promise<{ report: Measured; stored: number }> {
  const bench = await startBenchParley({ workers: false });
  try {
    const { db } = bench.parley.deps.database;
    const workspace = await createWorkspace(db, { name: 'Bench' });
    await createInbox(db, workspace.id, {
      phoneNumberId: BENCH_PHONE_NUMBER_ID, wabaId: BENCH_WABA_ID, displayPhoneNumber: BENCH_DISPLAY_NUMBER,
      accessToken: 'bench-token', appSecret: APP_SECRET,
    }, bench.parley.deps.secretKey);
    const cpu = cpuSampler();
    const report = await client.run({
      base: bench.parley.url, path: '/webhooks/whatsapp', seconds, warmupSeconds: WARMUP_SECONDS,
      concurrency: CONCURRENCY, secret: APP_SECRET, prefix: `p${Date.now().toString(36)}`,
    });
    return { report: { ...report, serverCpu: cpu.within(report.startedAt, report.endedAt) }, stored: await countWebhookEvents(db) };
  } finally {
    await bench.close();
  }
}

const cores = (m: Measured): string => `CPU: server ${round(m.serverCpu, 2)} core, load client ${round(m.clientCpu, 2)}`;

export async function run(seconds = benchSeconds()): Promise<WebhooksBenchResult> {
  const client = startLoadClient();
  try {
    const bare = await measureBare(client, seconds);
    const { report: parley, stored } = await measureParley(client, seconds);
    const bareRps = bare.ok / bare.seconds;
    const parleyRps = parley.ok / parley.seconds;
    const result: WebhooksBenchResult = {
      bareRps: Math.round(bareRps), parleyRps: Math.round(parleyRps), ratio: round(parleyRps / bareRps, 2),
      parleyP50Ms: round(parley.p50Ms, 1), parleyP99Ms: round(parley.p99Ms, 1), bareP99Ms: round(bare.p99Ms, 1),
      acknowledged: parley.ok + parley.warmupOk, stored,
    };
    const lost = result.acknowledged - stored;
    process.stdout.write([
      `webhooks bench (${parley.bodyBytes}-byte signed status webhooks, ${CONCURRENCY} in flight from a forked client, ${seconds} s per side after ${WARMUP_SECONDS} s warm-up;`,
      `  Parley: startParley on ${benchDatabase() === 'postgres' ? 'PostgreSQL (BENCH_DATABASE=postgres)' : 'SQLite in a temp dir'}, workers OFF — intake only)`,
      `  bare Fastify, signature check only: ${result.bareRps} req/s   (p99 ${result.bareP99Ms} ms; non-200: ${bare.failed}; ${cores(bare)})`,
      `  Parley durably stored:              ${result.parleyRps} webhooks/s   (p50 ${result.parleyP50Ms} ms, p99 ack ${result.parleyP99Ms} ms; non-200: ${parley.failed}; ${cores(parley)})`,
      `  acknowledged ${result.acknowledged}, rows in webhook_events ${stored}${lost > 0 ? `  !! ${lost} ACKNOWLEDGED BUT NOT STORED` : ' (all stored)'}`,
      `  ratio Parley / bare: ${result.ratio}  (goal ≥ ${GOAL}) ${result.ratio >= GOAL ? 'OK' : 'BELOW GOAL'}`,
    ].join('\n') + '\n');
    return result;
  } finally {
    client.close();
  }
}

if (isMain(import.meta)) runAsMain(() => run());
