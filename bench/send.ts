// Benchmark: messages per second from Parley's outbox into the sandbox (the sender worker draining
// pre-queued template messages over 20 numbers at 1,000 mps each, 500 `load` customers, portfolio
// limit unlimited) versus raw `undici.request` POSTs of the very same payloads to the same sandbox
// endpoint with the same concurrency. The sandbox runs as a separate process. Goal: ratio ≥ 0.8.
// Run alone: `npx tsx bench/send.ts` (BENCH_SEND_MESSAGES=6000, raw side BENCH_SECONDS=3 by default).

import { Agent, request } from 'undici';
import { sql } from 'kysely';
import { countOutbox } from '../src/store/queries/outbox.js';
import {
  benchDatabase, benchSeconds, control, isMain, round, runAsMain, startBenchParley, startSandboxProcess, type BenchParley,
} from './harness.js';
import { TOKEN, prepareParley, queueMessages, sendSeed } from './send-world.js';

const NUMBERS = 20;
const MPS = 1000;
const CUSTOMERS = 500;
const CONCURRENCY = 32;
const WARMUP_MESSAGES = 1000;
const GOAL = 0.8;

export interface SendBenchResult {
  rawMps: number;
  parleyMps: number;
  ratio: number;
  messages: number;
  parleySent: number;
  throttled: number;
}

interface SandboxMessage { phoneNumberId: string; sentAt: number; request: Record<string, unknown> }

/**
 * Starts the sender loop and waits until the outbox is empty; returns seconds taken. The probe reads
 * one row, not a count: counting thousands of rows every 10 ms would take a few % of Parley's thread.
 */
async function drainWithSender(bench: BenchParley): Promise<number> {
  const { db } = bench.parley.deps.database;
  const started = performance.now();
  bench.parley.sender.start();
  while (await db.selectFrom('outbox').select('id').limit(1).executeTakeFirst()) await new Promise((resolve) => setTimeout(resolve, 10));
  return (performance.now() - started) / 1000;
}

/**
 * Warm-up drain without the polling loop (the loop, once stopped, cannot be restarted). Each step
 * yields to timers and I/O: SQLite calls settle as microtasks, so a bare `while (…) await runOnce()`
 * would starve the sender's group-commit timer (and the HTTP client's keep-alive timers) until the
 * leases ran out.
 */
async function drainManually(bench: BenchParley): Promise<void> {
  const { db } = bench.parley.deps.database;
  while (await countOutbox(db) > 0) {
    await bench.parley.sender.runOnce();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The same POSTs Parley made, replayed with `concurrency` loops over one keep-alive Agent, round after
 * round (at least one) for `seconds` (each round adds one message per number × customer pair: far below
 * the pair rate's burst).
 */
async function replayRaw(base: string, messages: SandboxMessage[], concurrency: number, seconds: number): Promise<{ ok: number; failed: number; seconds: number }> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const bodies = messages.map((m) => ({ url: `${base}/v23.0/${m.phoneNumberId}/messages`, body: JSON.stringify(m.request) }));
  let next = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (next < bodies.length || performance.now() < deadline) {
      const { url, body } = bodies[next++ % bodies.length]!;
      const res = await request(url, {
        method: 'POST', body, dispatcher: agent,
        headers: { accept: 'application/json', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });
      await res.body.text();
      if (res.statusCode === 200) ok++; else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  return { ok, failed, seconds: elapsed };
}

async function sandboxMessages(base: string): Promise<SandboxMessage[]> {
  const { data } = await control<{ data: SandboxMessage[] }>(base, 'GET', '/messages?limit=10000');
  return data;
}

async function statusCounts(bench: BenchParley): Promise<Record<string, number>> {
  const rows = await sql<{ status: string; n: number }>`select status, count(*) as n from messages group by status`.execute(bench.parley.deps.database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.n)]));
}

export async function run(messages = Number(process.env.BENCH_SEND_MESSAGES ?? 6000)): Promise<SendBenchResult> {
  const sandbox = await startSandboxProcess(sendSeed(NUMBERS, MPS, CUSTOMERS));
  const bench = await startBenchParley({ workers: false, cloudApiBaseUrl: sandbox.url, senderConcurrency: CONCURRENCY });
  try {
    const world = await prepareParley(bench, NUMBERS, MPS);
    // Warm-up both sides (JIT, connections) on the same sandbox.
    await queueMessages(bench, world, WARMUP_MESSAGES, CUSTOMERS);
    await drainManually(bench);
    const warm = await sandboxMessages(sandbox.url);
    await replayRaw(sandbox.url, warm, CONCURRENCY, 0);

    const queueStarted = performance.now();
    await queueMessages(bench, world, messages, CUSTOMERS, WARMUP_MESSAGES);
    const queueSeconds = (performance.now() - queueStarted) / 1000;
    const before = (await sandboxMessages(sandbox.url)).length;
    const parleySeconds = await drainWithSender(bench);
    const sent = (await sandboxMessages(sandbox.url)).slice(before);
    const raw = await replayRaw(sandbox.url, sent, CONCURRENCY, benchSeconds());
    const statuses = await statusCounts(bench);
    const throttled = (await control<{ data: unknown[] }>(sandbox.url, 'GET', '/log/requests?errorCode=130429&limit=10000')).data.length;

    const parleyMps = sent.length / parleySeconds;
    const rawMps = raw.ok / raw.seconds;
    const result: SendBenchResult = {
      rawMps: Math.round(rawMps), parleyMps: Math.round(parleyMps), ratio: round(parleyMps / rawMps, 2),
      messages, parleySent: sent.length, throttled,
    };
    process.stdout.write([
      `send bench (${messages} template messages after ${WARMUP_MESSAGES} warm-up, ${NUMBERS} numbers × ${MPS} mps, ${CUSTOMERS} load customers,`,
      `  ${CONCURRENCY} concurrent on both sides, sandbox in its own process, no webhooks posted; ${benchDatabase() === 'postgres' ? 'PostgreSQL' : 'SQLite'}; queueing took ${round(queueSeconds, 1)} s, not measured)`,
      `  raw undici.request, same payloads:  ${result.rawMps} msg/s   (${raw.ok} in ${round(raw.seconds, 2)} s; ${raw.failed} not 200)`,
      `  Parley outbox → sandbox:            ${result.parleyMps} msg/s   (${sent.length} accepted in ${round(parleySeconds, 2)} s; message statuses ${JSON.stringify(statuses)})`,
      `  130429 answers: ${throttled}`,
      `  ratio Parley / raw: ${result.ratio}  (goal ≥ ${GOAL}) ${result.ratio >= GOAL ? 'OK' : 'BELOW GOAL'}`,
    ].join('\n') + '\n');
    return result;
  } finally {
    await bench.close();
    await sandbox.close();
  }
}

if (isMain(import.meta)) runAsMain(() => run());
