// Benchmark: messages queued per second through `POST /api/v1/messages` (API key, policy, message
// and outbox row stored; workers off, so nothing is sent) versus a bare Fastify route answering the
// same JSON bodies with 202, in alternating rounds; the result is the median of the rounds' ratios
// (goal ≥ 0.1). Then the bulk path (queueMessages, what campaigns use) queues a broadcast in one call
// and its rate is printed (goal ≥ 5,000 msg/s). The load comes from a forked client (32 in flight).
// Run alone: `npx tsx bench/queueing.ts` (BENCH_SECONDS=3 per side by default).

import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { sendMessage } from '../src/services/outbound.js';
import { createApiKey } from '../src/store/queries/api-keys.js';
import { countOutbox } from '../src/store/queries/outbox.js';
import {
  benchDatabase, benchSeconds, cpuSampler, isMain, median, round, runAsMain, settleWrites, startBenchParley, startLoadClient,
  startSandboxProcess, type BenchParley, type LoadClient, type LoadReport,
} from './harness.js';
import { TEMPLATE, customerOf, prepareParley, sendSeed, type SendWorld } from './send-world.js';

const CONCURRENCY = 32;
const ROUNDS = 5;
const WARMUP_SECONDS = 1;
/** Distinct recipients the API load cycles through (contacts exist after the first pass). */
const CUSTOMERS = 2000;
const BULK_MESSAGES = Number(process.env.BENCH_BULK_MESSAGES ?? 20_000);
const GOAL = 0.1;
const BULK_GOAL = 5000;

export interface QueueingRound {
  bareRps: number; parleyRps: number; ratio: number;
  /** Server CPU per request (µs, all threads): on a shared machine the steadier figure. */
  bareCpuUs: number; parleyCpuUs: number;
}

export interface QueueingBenchResult {
  bareRps: number;
  parleyRps: number;
  ratio: number;
  rounds: QueueingRound[];
  parleyP99Ms: number;
  /** Median of the rounds' CPU-per-request ratios, bare ÷ Parley (what the rate ratio would be on an idle machine). */
  cpuRatio: number;
  /** Messages a second through the bulk path (or, where it does not exist, sendMessage one by one). */
  bulkMps: number;
  /** CPU of this process per bulk-queued message (µs). */
  bulkCpuUs: number;
  bulkPath: 'queueMessages' | 'sendMessage loop';
}

interface Target { base: string; close(): Promise<void> }

type Measured = LoadReport & { serverCpu: number };

/** The baseline: a bare Fastify route parsing the JSON body and answering 202 with a small JSON. */
async function startBare(): Promise<Target> {
  const app = Fastify({ logger: false });
  let n = 0;
  app.post('/api/v1/messages', async (req, reply) => {
    const body = req.body as { to?: string };
    return reply.status(202).send({ id: `msg_${++n}`, to: body.to, status: 'queued' });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
}

const templateBody = (i: number): string => JSON.stringify({
  to: `+${customerOf(i % CUSTOMERS)}`, content: { type: 'template', name: TEMPLATE.name, language: TEMPLATE.language },
});

async function measure(client: LoadClient, base: string, authorization: string, seconds: number, warmup: number): Promise<Measured> {
  const cpu = cpuSampler();
  const bodies = Array.from({ length: CUSTOMERS }, (_, i) => templateBody(i));
  const report = await client.run({
    base, path: '/api/v1/messages', seconds, warmupSeconds: warmup, concurrency: CONCURRENCY, secret: '', prefix: '',
    json: { authorization, bodies, okStatus: 202 },
  });
  return { ...report, serverCpu: cpu.within(report.startedAt, report.endedAt) };
}

/** A broadcast of `count` template messages to `count` new recipients, in one bulk call when Parley has one. */
async function measureBulk(bench: BenchParley, world: SendWorld, count: number): Promise<{ mps: number; cpuUs: number; path: QueueingBenchResult['bulkPath'] }> {
  const { deps } = bench.parley;
  const inboxId = world.inboxes[0]!.id;
  const items = Array.from({ length: count }, (_, i) => ({
    to: `+${customerOf(CUSTOMERS + i)}`, content: { type: 'template' as const, name: TEMPLATE.name, language: TEMPLATE.language },
  }));
  const before = await countOutbox(deps.database.db);
  // Before the bulk path existed (a baseline checkout), the same broadcast goes through sendMessage one by one.
  const bulkModule = await import('../src/services/outbound-bulk.js').catch(() => undefined) as Record<string, unknown> | undefined;
  const bulk = bulkModule?.queueMessages as ((d: typeof deps, ws: string, inbox: string, items: unknown[]) => Promise<unknown>) | undefined;
  const started = performance.now();
  const cpu = process.cpuUsage();
  if (bulk) await bulk(deps, world.workspaceId, inboxId, items);
  else for (const item of items) await sendMessage(deps, world.workspaceId, { inboxId, ...item });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const queued = (await countOutbox(deps.database.db)) - before;
  if (queued !== count) throw new Error(`bulk path queued ${queued} of ${count}`);
  return { mps: count / seconds, cpuUs: (used.user + used.system) / count, path: bulk ? 'queueMessages' : 'sendMessage loop' };
}

const cores = (m: Measured): string => `server ${round(m.serverCpu, 2)} core, client ${round(m.clientCpu, 2)}`;

export async function run(seconds = benchSeconds()): Promise<QueueingBenchResult> {
  const sandbox = await startSandboxProcess(sendSeed(1, 1000, 10));
  const bench = await startBenchParley({ workers: false, cloudApiBaseUrl: sandbox.url });
  const bare = await startBare();
  const client = startLoadClient();
  try {
    const world = await prepareParley(bench, 1, 1000);
    const { key } = await createApiKey(bench.parley.deps.database.db, world.workspaceId, { name: 'bench' });
    const authorization = `Bearer ${key}`;
    await settleWrites(bench);
    const rounds: Array<{ bare: Measured; parley: Measured }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const warmup = r === 0 ? WARMUP_SECONDS : WARMUP_SECONDS / 4;
      const one = (side: 'bare' | 'parley') => measure(client, side === 'bare' ? bare.base : bench.parley.url, authorization, seconds, warmup);
      if (r % 2 === 0) {
        const b = await one('bare');
        rounds.push({ bare: b, parley: await one('parley') });
      } else {
        const p = await one('parley');
        rounds.push({ bare: await one('bare'), parley: p });
      }
    }
    const rates = rounds.map((r): QueueingRound => {
      const bareRps = r.bare.ok / r.bare.seconds;
      const parleyRps = r.parley.ok / r.parley.seconds;
      return {
        bareRps: Math.round(bareRps), parleyRps: Math.round(parleyRps), ratio: round(parleyRps / bareRps, 3),
        bareCpuUs: Math.round((r.bare.serverCpu * 1e6) / bareRps), parleyCpuUs: Math.round((r.parley.serverCpu * 1e6) / parleyRps),
      };
    });
    await settleWrites(bench);
    const bulk = await measureBulk(bench, world, BULK_MESSAGES);
    const result: QueueingBenchResult = {
      bareRps: Math.round(median(rates.map((r) => r.bareRps))), parleyRps: Math.round(median(rates.map((r) => r.parleyRps))),
      ratio: round(median(rates.map((r) => r.ratio)), 3), rounds: rates,
      cpuRatio: round(median(rates.map((r) => r.bareCpuUs / r.parleyCpuUs)), 3), bulkCpuUs: Math.round(bulk.cpuUs),
      parleyP99Ms: round(Math.max(...rounds.map((r) => r.parley.p99Ms)), 1), bulkMps: Math.round(bulk.mps), bulkPath: bulk.path,
    };
    const failed = (side: 'bare' | 'parley') => rounds.reduce((n, r) => n + r[side].failed, 0);
    process.stdout.write([
      `queueing bench (POST /api/v1/messages, template messages to ${CUSTOMERS} recipients in turn, ${CONCURRENCY} in flight from a forked client; ${ROUNDS} rounds of bare and Parley`,
      `  in alternating order, ${seconds} s each; Parley on ${benchDatabase() === 'postgres' ? 'PostgreSQL' : 'SQLite'}, workers off (queued, not sent); bare: Fastify JSON route answering 202)`,
      ...rounds.map((r, i) => `  round ${i + 1}: bare ${rates[i]!.bareRps} req/s (${cores(r.bare)}), Parley queued ${rates[i]!.parleyRps} msg/s (p50 ${round(r.parley.p50Ms, 1)} ms, p99 ${round(r.parley.p99Ms, 1)} ms; ${cores(r.parley)}), ratio ${rates[i]!.ratio}; server CPU per request: bare ${rates[i]!.bareCpuUs} µs, Parley ${rates[i]!.parleyCpuUs} µs`),
      `  not accepted: bare ${failed('bare')}, Parley ${failed('parley')} (statuses ${JSON.stringify(rounds.at(-1)!.parley.statuses)})`,
      `  ratio Parley / bare, median of rounds: ${result.ratio}  (goal ≥ ${GOAL}) ${result.ratio >= GOAL ? 'OK' : 'BELOW GOAL'}`,
      `  CPU per request, bare ÷ Parley, median of rounds: ${result.cpuRatio} (the rate ratio an idle machine would show)`,
      `  bulk path (${bulk.path}): ${BULK_MESSAGES} template messages to new recipients queued at ${result.bulkMps} msg/s, ${result.bulkCpuUs} µs CPU each (${Math.round(1e6 / result.bulkCpuUs)} msg/s per core)  (goal ≥ ${BULK_GOAL}) ${result.bulkMps >= BULK_GOAL ? 'OK' : 'BELOW GOAL'}`,
    ].join('\n') + '\n');
    return result;
  } finally {
    client.close();
    await bare.close();
    await bench.close();
    await sandbox.close();
  }
}

if (isMain(import.meta)) runAsMain(() => run());
