// Benchmark: signed ≈1.5 KB status webhooks durably stored per second by Parley's intake
// (`/webhooks/whatsapp`, SQLite in a temp dir, workers off: intake only) versus a bare Fastify
// endpoint that only checks X-Hub-Signature-256 over the raw body, in the same process setup, in
// alternating rounds (the result is the median of the rounds' ratios).
// The load comes from a forked client (64 in flight, keep-alive undici Pool). Goal: ratio ≥ 0.75.
// Run alone: `npx tsx bench/webhooks.ts` (BENCH_SECONDS=3 by default).

import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { checkSignature } from '../src/cloudapi/signature.js';
import { createInbox } from '../src/store/queries/inboxes.js';
import { countWebhookEvents } from '../src/store/queries/webhook-events.js';
import { createWorkspace } from '../src/store/queries/workspaces.js';
import {
  benchDatabase, benchSeconds, cpuSampler, isMain, median, round, runAsMain, startBenchParley, startLoadClient, type LoadClient, type LoadReport,
} from './harness.js';
import { BENCH_DISPLAY_NUMBER, BENCH_PHONE_NUMBER_ID, BENCH_WABA_ID } from './webhook-payload.js';

const CONCURRENCY = 64;
const WARMUP_SECONDS = 1;
const ROUNDS = 7;
const APP_SECRET = 'bench-app-secret-5f1c';
const GOAL = 0.75;

export interface WebhooksRound { bareRps: number; parleyRps: number; ratio: number }

export interface WebhooksBenchResult {
  /** Medians over the rounds. */
  bareRps: number;
  parleyRps: number;
  ratio: number;
  rounds: WebhooksRound[];
  parleyP50Ms: number;
  parleyP99Ms: number;
  bareP99Ms: number;
  /** Acknowledged (200) by Parley, warm-ups included, and rows found in webhook_events afterwards. */
  acknowledged: number;
  stored: number;
}

/** A load run plus the server process's CPU (cores, all threads) over the measured span. */
type Measured = LoadReport & { serverCpu: number };

interface Target { base: string; prefix: string; close(): Promise<void> }

async function startBare(): Promise<Target> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 3 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  app.post('/webhooks/whatsapp', async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!checkSignature(raw, req.headers['x-hub-signature-256'], APP_SECRET).ok) return reply.status(401).send({ ok: false });
    return reply.status(200).send({ ok: true });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, prefix: 'bare', close: () => app.close() };
}

async function startParleyTarget(): Promise<Target & { stored(): Promise<number> }> {
  const bench = await startBenchParley({ workers: false });
  const { db } = bench.parley.deps.database;
  const workspace = await createWorkspace(db, { name: 'Bench' });
  await createInbox(db, workspace.id, {
    phoneNumberId: BENCH_PHONE_NUMBER_ID, wabaId: BENCH_WABA_ID, displayPhoneNumber: BENCH_DISPLAY_NUMBER,
    accessToken: 'bench-token', appSecret: APP_SECRET,
  }, bench.parley.deps.secretKey);
  return { base: bench.parley.url, prefix: 'parley', stored: () => countWebhookEvents(db), close: () => bench.close() };
}

async function measure(client: LoadClient, target: Target, round: number, seconds: number): Promise<Measured> {
  const cpu = cpuSampler();
  const report = await client.run({
    base: target.base, path: '/webhooks/whatsapp', seconds, warmupSeconds: round === 0 ? WARMUP_SECONDS : WARMUP_SECONDS / 4,
    concurrency: CONCURRENCY, secret: APP_SECRET, prefix: `${target.prefix}${round}-${Date.now().toString(36)}`,
  });
  return { ...report, serverCpu: cpu.within(report.startedAt, report.endedAt) };
}

const cores = (m: Measured): string => `server ${round(m.serverCpu, 2)} core, load client ${round(m.clientCpu, 2)}`;

/**
 * Each round measures both servers back to back, both listening all along, and gives a ratio; the
 * result is the median of ROUNDS rounds, so a slow spell of this shared machine (they come and go
 * within seconds) hits both sides of one round rather than one side of the whole result. The order
 * within a round alternates (bare first, then Parley first), so neither side always runs in the
 * wake of the other's disk writeback.
 */
export async function run(seconds = benchSeconds()): Promise<WebhooksBenchResult> {
  const client = startLoadClient();
  const bare = await startBare();
  const parley = await startParleyTarget();
  try {
    const rounds: Array<{ bare: Measured; parley: Measured }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        const b = await measure(client, bare, r, seconds);
        rounds.push({ bare: b, parley: await measure(client, parley, r, seconds) });
      } else {
        const p = await measure(client, parley, r, seconds);
        rounds.push({ bare: await measure(client, bare, r, seconds), parley: p });
      }
    }
    const stored = await parley.stored();
    const rates = rounds.map((r): WebhooksRound => {
      const bareRps = r.bare.ok / r.bare.seconds;
      const parleyRps = r.parley.ok / r.parley.seconds;
      return { bareRps: Math.round(bareRps), parleyRps: Math.round(parleyRps), ratio: round(parleyRps / bareRps, 2) };
    });
    const result: WebhooksBenchResult = {
      bareRps: Math.round(median(rates.map((r) => r.bareRps))), parleyRps: Math.round(median(rates.map((r) => r.parleyRps))),
      ratio: round(median(rates.map((r) => r.ratio)), 2), rounds: rates,
      parleyP50Ms: round(median(rounds.map((r) => r.parley.p50Ms)), 1), parleyP99Ms: round(Math.max(...rounds.map((r) => r.parley.p99Ms)), 1),
      bareP99Ms: round(Math.max(...rounds.map((r) => r.bare.p99Ms)), 1),
      acknowledged: rounds.reduce((n, r) => n + r.parley.ok + r.parley.warmupOk, 0), stored,
    };
    const failed = (side: 'bare' | 'parley') => rounds.reduce((n, r) => n + r[side].failed, 0);
    const lost = result.acknowledged - stored;
    process.stdout.write([
      `webhooks bench (${rounds[0]!.parley.bodyBytes}-byte signed status webhooks, ${CONCURRENCY} in flight from a forked client; ${ROUNDS} rounds of bare and Parley in alternating order, ${seconds} s each after a warm-up;`,
      `  Parley: startParley on ${benchDatabase() === 'postgres' ? 'PostgreSQL (BENCH_DATABASE=postgres)' : 'SQLite in a temp dir'}, workers OFF — intake only; bare Fastify: signature check only)`,
      ...rounds.map((r, i) => `  round ${i + 1}: bare ${rates[i]!.bareRps} req/s (${cores(r.bare)}), Parley durably stored ${rates[i]!.parleyRps} webhooks/s (p50 ${round(r.parley.p50Ms, 1)} ms, p99 ack ${round(r.parley.p99Ms, 1)} ms; ${cores(r.parley)}), ratio ${rates[i]!.ratio}`),
      `  non-200 answers: bare ${failed('bare')}, Parley ${failed('parley')}; bare p99 ${result.bareP99Ms} ms, Parley p99 ack ${result.parleyP99Ms} ms (worst round)`,
      `  acknowledged ${result.acknowledged}, rows in webhook_events ${stored}${lost > 0 ? `  !! ${lost} ACKNOWLEDGED BUT NOT STORED` : ' (all stored)'}`,
      `  ratio Parley / bare, median of rounds: ${result.ratio}  (goal ≥ ${GOAL}) ${result.ratio >= GOAL ? 'OK' : 'BELOW GOAL'}`,
    ].join('\n') + '\n');
    return result;
  } finally {
    await parley.close();
    await bare.close();
    client.close();
  }
}

if (isMain(import.meta)) runAsMain(() => run());
