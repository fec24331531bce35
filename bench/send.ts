// Benchmark: messages per second from Parley's outbox into the sandbox (the sender worker draining
// pre-queued template messages over 20 numbers at 1,000 mps each, 500 `load` customers, portfolio
// limit unlimited) versus raw `undici.request` POSTs of the very same payloads to the same sandbox
// endpoint with the same concurrency. The sandbox runs as a separate process. Goal: ratio ≥ 0.8.
// The two sides alternate in rounds (Parley, then raw, ROUNDS times) and each round gives a ratio;
// the result is the median, so a slow spell of this shared machine hits both sides of one round
// rather than one side of the whole run. Both rates are read off the sandbox's own receive
// timestamps (first to last message of the round), the same clock for both sides.
// Run alone: `npx tsx bench/send.ts` (BENCH_SEND_MESSAGES=2500 per round by default).

import { Agent, request } from 'undici';
import { sql } from 'kysely';
import {
  benchDatabase, control, isMain, median, round, runAsMain, settleWrites, startBenchParley, startSandboxProcess, type BenchParley,
} from './harness.js';
import { TOKEN, prepareParley, queueMessages, sendSeed } from './send-world.js';

const NUMBERS = 20;
const MPS = 1000;
const CUSTOMERS = 500;
const CONCURRENCY = 32;
/** Unmeasured rounds first, on the same path: with one of 2,000 the first measured round still ran ≈ 1.5× Parley's CPU per message. */
const WARMUP_ROUNDS = 2;
const ROUNDS = 3;
const GOAL = 0.8;
/** not_before of queued rows held back until their round (far in the future). */
const HELD = 8_000_000_000_000;

export interface SendRound {
  parleyMps: number;
  rawMps: number;
  ratio: number;
  /** CPU of Parley's process (sender, SQLite, HTTP client) per message sent in the round. */
  parleyCpuUsPerMessage: number;
}

export interface SendBenchResult {
  rawMps: number;
  parleyMps: number;
  /** Median of the rounds' ratios. */
  ratio: number;
  rounds: SendRound[];
  messages: number;
  parleySent: number;
  throttled: number;
}

interface SandboxMessage { phoneNumberId: string; sentAt: number; request: Record<string, unknown> }

/** Messages per second between the first and the last of `messages` as the sandbox received them. */
function receiveRate(messages: SandboxMessage[]): number {
  const times = messages.map((m) => m.sentAt);
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  return span > 0 ? (messages.length - 1) / span : 0;
}

/**
 * Releases one round of held rows to the running sender and waits until they have left the outbox.
 * The probe reads one row by index every 10 ms (a count would cost Parley's thread a few %).
 */
async function sendRound(bench: BenchParley, ids: string[]): Promise<void> {
  const { db } = bench.parley.deps.database;
  await db.updateTable('outbox').set({ not_before: Date.now() }).where('id', 'in', ids).execute();
  bench.parley.sender.notify();
  while (await db.selectFrom('outbox').select('id').where('not_before', '<', HELD).limit(1).executeTakeFirst()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The same POSTs Parley made, replayed once by `concurrency` loops over one keep-alive Agent. */
async function replayRaw(base: string, messages: SandboxMessage[], concurrency: number): Promise<{ ok: number; failed: number }> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const bodies = messages.map((m) => ({ url: `${base}/v23.0/${m.phoneNumberId}/messages`, body: JSON.stringify(m.request) }));
  let next = 0;
  let ok = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const { url, body } = bodies[next++]!;
      const res = await request(url, {
        method: 'POST', body, dispatcher: agent,
        headers: { accept: 'application/json', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });
      await res.body.text();
      if (res.statusCode === 200) ok++; else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await agent.close();
  return { ok, failed };
}

/** The newest `count` messages the sandbox accepted (its log keeps the last 10,000). */
async function newestSandboxMessages(base: string, count: number): Promise<SandboxMessage[]> {
  const { data } = await control<{ data: SandboxMessage[] }>(base, 'GET', `/messages?limit=${count}`);
  return data;
}

async function statusCounts(bench: BenchParley): Promise<Record<string, number>> {
  const rows = await sql<{ status: string; n: number }>`select status, count(*) as n from messages group by status`.execute(bench.parley.deps.database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.n)]));
}

export async function run(perRound = Number(process.env.BENCH_SEND_MESSAGES ?? 2500)): Promise<SendBenchResult> {
  if (!(perRound >= 100 && perRound <= 10_000)) throw new Error('BENCH_SEND_MESSAGES: 100 to 10,000 per round (the sandbox log keeps the last 10,000 messages)');
  const sandbox = await startSandboxProcess(sendSeed(NUMBERS, MPS, CUSTOMERS));
  const bench = await startBenchParley({ workers: false, cloudApiBaseUrl: sandbox.url, senderConcurrency: CONCURRENCY });
  try {
    const { db } = bench.parley.deps.database;
    const world = await prepareParley(bench, NUMBERS, MPS);
    // Every message is queued up front through the send service (not measured) and held back until
    // its round; the warm-up rounds go right before the measured ones, on the same code path (a
    // warm-up before the long queueing would be cold again by then: V8 drops idle functions' code).
    const queueStarted = performance.now();
    await queueMessages(bench, world, perRound * (WARMUP_ROUNDS + ROUNDS), CUSTOMERS);
    const queueSeconds = (performance.now() - queueStarted) / 1000;
    await db.updateTable('outbox').set({ not_before: HELD }).execute();
    const held = (await db.selectFrom('outbox').select('id').orderBy('id').execute()).map((r) => r.id);
    await settleWrites(bench);
    bench.parley.sender.start();
    for (let round = 0; round < WARMUP_ROUNDS; round++) {
      await sendRound(bench, held.slice(round * perRound, (round + 1) * perRound));
      await replayRaw(sandbox.url, await newestSandboxMessages(sandbox.url, perRound), CONCURRENCY);
    }

    const rounds: SendRound[] = [];
    let parleySent = 0;
    let rawFailed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const ids = held.slice((WARMUP_ROUNDS + round) * perRound, (WARMUP_ROUNDS + round + 1) * perRound);
      await quiet();
      const cpu = process.cpuUsage();
      await sendRound(bench, ids);
      const { user, system } = process.cpuUsage(cpu);
      const sent = await newestSandboxMessages(sandbox.url, ids.length);
      parleySent += sent.length;
      await quiet();
      const raw = await replayRaw(sandbox.url, sent, CONCURRENCY);
      rawFailed += raw.failed;
      const replayed = await newestSandboxMessages(sandbox.url, raw.ok);
      const parleyMps = receiveRate(sent);
      const rawMps = receiveRate(replayed);
      rounds.push({
        parleyMps: Math.round(parleyMps), rawMps: Math.round(rawMps), ratio: round2(parleyMps / rawMps),
        parleyCpuUsPerMessage: Math.round((user + system) / ids.length),
      });
    }
    const statuses = await statusCounts(bench);
    const throttled = (await control<{ data: unknown[] }>(sandbox.url, 'GET', '/log/requests?errorCode=130429&limit=10000')).data.length;

    const result: SendBenchResult = {
      rawMps: Math.round(median(rounds.map((r) => r.rawMps))), parleyMps: Math.round(median(rounds.map((r) => r.parleyMps))),
      ratio: round2(median(rounds.map((r) => r.ratio))), rounds, messages: perRound * ROUNDS, parleySent, throttled,
    };
    process.stdout.write([
      `send bench (${ROUNDS} rounds of ${perRound} template messages after ${WARMUP_ROUNDS} unmeasured warm-up rounds, ${NUMBERS} numbers × ${MPS} mps, ${CUSTOMERS} load customers,`,
      `  ${CONCURRENCY} concurrent on both sides, sandbox in its own process, no webhooks posted; ${benchDatabase() === 'postgres' ? 'PostgreSQL' : 'SQLite'}; queueing took ${round(queueSeconds, 1)} s, not measured;`,
      '  rates from the sandbox\'s receive times, first to last message of each side of a round)',
      ...rounds.map((r, i) => `  round ${i + 1}: Parley outbox → sandbox ${r.parleyMps} msg/s (${r.parleyCpuUsPerMessage} µs CPU per message), raw undici.request (same payloads) ${r.rawMps} msg/s, ratio ${r.ratio}`),
      `  Parley accepted by the sandbox: ${parleySent}/${perRound * ROUNDS}; raw not 200: ${rawFailed}; message statuses ${JSON.stringify(statuses)}`,
      `  130429 answers: ${throttled}`,
      `  ratio Parley / raw, median of rounds: ${result.ratio}  (goal ≥ ${GOAL}) ${result.ratio >= GOAL ? 'OK' : 'BELOW GOAL'}`,
    ].join('\n') + '\n');
    return result;
  } finally {
    await bench.close();
    await sandbox.close();
  }
}

const round2 = (n: number): number => round(n, 2);

/** A pause before each measured side: the sandbox finishes simulating the previous side's deliveries. */
const quiet = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 500));

if (isMain(import.meta)) runAsMain(() => run());
