// Benchmark: does webhook PROCESSING keep up with intake, and does the process stay responsive?
// Parley (workers on, SQLite in a temp dir or BENCH_DATABASE=postgres) takes signed webhooks from a
// forked client: customers' texts from 5,000 customers and statuses of 2,000 messages Parley sent.
//   1. intake only (webhook worker stopped): stored/s, which also builds a backlog (topped up to 50,000);
//   2. drain: the worker applies the backlog while /health and new webhooks are probed every 10 ms:
//      applied/s, longest event-loop delay (perf_hooks.monitorEventLoopDelay), /health and ack p99;
//   3. sustained: the same load with the worker on: stored/s, applied/s, backlog when the load stops.
// R = drain applied/s ÷ intake stored/s. Goals: R ≥ 1, backlog back to 0, loop delay and p99 < 50 ms.
// Run alone: `npx tsx bench/processing.ts` (BENCH_SECONDS=3 by default).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { request } from 'undici';
import { secretFingerprint, signPayload } from '../src/cloudapi/signature.js';
import { createInbox } from '../src/store/queries/inboxes.js';
import { insertOutboundMessage } from '../src/store/queries/messages.js';
import { ensureConversation } from '../src/store/queries/conversations.js';
import { storeWebhookEvents } from '../src/store/queries/webhook-events.js';
import { createWorkspace } from '../src/store/queries/workspaces.js';
import { upsertContactFromWaId } from '../src/services/recipients.js';
import type { Db } from '../src/store/db.js';
import {
  benchDatabase, benchSeconds, isMain, percentile, round, runAsMain, settleWrites, startBenchParley, startLoadClient,
  type BenchParley, type LoadClient,
} from './harness.js';
import { BENCH_DISPLAY_NUMBER, BENCH_PHONE_NUMBER_ID, BENCH_WABA_ID, inboundTextWebhookBody, mixedWebhookBody } from './webhook-payload.js';

const CONCURRENCY = 64;
const APP_SECRET = 'bench-app-secret-5f1c';
/** BENCH_DRAIN_EVENTS: a smaller drain for quick comparisons (the goal is stated for 50,000). */
const DRAIN_EVENTS = Number(process.env.BENCH_DRAIN_EVENTS ?? 50_000);
const SENT_MESSAGES = 2000;
const PROBE_EVERY_MS = 10;

type Sent = { id: string; wamid: string; to: string };

export interface ProcessingBenchResult {
  intakeStoredPerSec: number;
  drainAppliedPerSec: number;
  ratio: number;
  drained: number;
  drainSeconds: number;
  maxLoopDelayMs: number;
  healthP99Ms: number;
  webhookAckP99Ms: number;
  sustainedStoredPerSec: number;
  sustainedAppliedPerSec: number;
  backlogAfterLoad: number;
  backlogClearedSeconds: number;
}

/** Events not applied yet (pending, or claimed and not done). */
async function backlog(db: Db): Promise<number> {
  const row = await db.selectFrom('webhook_events').select((eb) => eb.fn.countAll().as('n')).where('status', 'in', ['pending', 'processing']).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function doneCount(db: Db): Promise<number> {
  const row = await db.selectFrom('webhook_events').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'done').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A workspace, the bench number, and SENT_MESSAGES messages Parley "sent" (status sent, with a wamid). */
async function seed(bench: BenchParley): Promise<Sent[]> {
  const { db } = bench.parley.deps.database;
  const now = Date.now();
  const ws = await createWorkspace(db, { name: 'Bench' });
  const inbox = await createInbox(db, ws.id, {
    phoneNumberId: BENCH_PHONE_NUMBER_ID, wabaId: BENCH_WABA_ID, displayPhoneNumber: BENCH_DISPLAY_NUMBER,
    accessToken: 'bench-token', appSecret: APP_SECRET,
  }, bench.parley.deps.secretKey);
  const sent: Sent[] = [];
  for (let k = 0; k < SENT_MESSAGES; k++) {
    const to = String(447900000000 + (k % 1000));
    const contact = await upsertContactFromWaId(db, ws.id, { waId: to, now });
    const conversation = await ensureConversation(db, ws.id, { inboxId: inbox.id, contactId: contact.id, now });
    const { message } = await insertOutboundMessage(db, ws.id, {
      inboxId: inbox.id, conversationId: conversation.id, contactId: contact.id, type: 'template', content: { name: 'order_update' }, now,
    }, null);
    const wamid = `wamid.bench-sent-${k}`;
    await db.updateTable('messages').set({ status: 'sent', wamid, sent_at: now }).where('id', '=', message.id).execute();
    sent.push({ id: message.id, wamid, to });
  }
  return sent;
}

/** Stores unmeasured extra events (as the intake would: signed by the bench app) until the backlog holds `target`. */
async function topUp(db: Db, target: number): Promise<void> {
  const signerHash = secretFingerprint(APP_SECRET);
  let missing = target - await backlog(db);
  for (let i = 0; missing > 0; i++) {
    const n = Math.min(500, missing);
    const at = Date.now();
    await storeWebhookEvents(db, Array.from({ length: n }, (_, j) => ({ payload: inboundTextWebhookBody(`top${i}-`, j, 5000, at), signerHash })));
    missing -= n;
  }
}

interface Probes { healthMs: number[]; ackMs: number[]; stop(): Promise<void> }

/** Every PROBE_EVERY_MS, one GET /health and one new signed webhook, each timed (sequential, like a monitor). */
function probe(base: string, sent: Sent[]): Probes {
  const healthMs: number[] = [];
  const ackMs: number[] = [];
  let running = true;
  let n = 0;
  const timed = async (into: number[], call: () => Promise<{ body: { dump(): Promise<void> } }>): Promise<void> => {
    const t0 = performance.now();
    const res = await call();
    await res.body.dump();
    into.push(performance.now() - t0);
  };
  const loop = (async () => {
    while (running) {
      const body = mixedWebhookBody(`probe${Date.now()}-`, n++, sent);
      await Promise.all([
        timed(healthMs, () => request(`${base}/health`)),
        timed(ackMs, () => request(`${base}/webhooks/whatsapp`, {
          method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(body, APP_SECRET) },
        })),
      ]);
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  })();
  return { healthMs, ackMs, async stop() { running = false; await loop; } };
}

async function waitForEmpty(db: Db, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await backlog(db) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (performance.now() - t0) / 1000;
}

/** Cross-check of the histogram: the longest lateness of a 5 ms interval timer. */
function timerGaps(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => { const now = performance.now(); max = Math.max(max, now - last - 5); last = now; }, 5);
  return { stop() { clearInterval(timer); return Math.max(max, performance.now() - last - 5); } };
}

async function drain(bench: BenchParley, sent: Sent[]) {
  const { db } = bench.parley.deps.database;
  const pending = await backlog(db);
  const done0 = await doneCount(db);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const gaps = timerGaps();
  const probes = probe(bench.parley.url, sent);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  bench.parley.webhookWorker.start();
  await waitForEmpty(db, 600_000);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await probes.stop();
  loop.disable();
  const maxGapMs = gaps.stop();
  const drained = (await doneCount(db)) - done0;
  const cpuUsPerEvent = (cpu.user + cpu.system) / Math.max(1, drained);
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    pending, drained, seconds, appliedPerSec: drained / seconds, maxLoopDelayMs: Math.max(loop.max / 1e6, maxGapMs), histogramMaxMs: loop.max / 1e6, maxGapMs, cpuUsPerEvent,
    healthP99Ms: percentile(sorted(probes.healthMs), 99), ackP99Ms: percentile(sorted(probes.ackMs), 99), probes: probes.healthMs.length,
  };
}

async function sustained(client: LoadClient, bench: BenchParley, sent: Sent[], seconds: number) {
  const { db } = bench.parley.deps.database;
  const done0 = await doneCount(db);
  const report = await client.run({
    base: bench.parley.url, path: '/webhooks/whatsapp', seconds, warmupSeconds: 0, concurrency: CONCURRENCY,
    secret: APP_SECRET, prefix: `sus${Date.now().toString(36)}-`, body: 'mixed', sent,
  });
  const applied = (await doneCount(db)) - done0;
  const left = await backlog(db);
  const cleared = await waitForEmpty(db, 120_000);
  return { storedPerSec: report.ok / report.seconds, appliedPerSec: applied / report.seconds, backlog: left, clearedSeconds: cleared, p99Ms: report.p99Ms };
}

export async function run(seconds = benchSeconds()): Promise<ProcessingBenchResult> {
  const client = startLoadClient();
  const bench = await startBenchParley({ workers: true });
  try {
    await bench.parley.webhookWorker.stop();
    const sent = await seed(bench);
    const { db } = bench.parley.deps.database;
    await settleWrites(bench);
    const intake = await client.run({
      base: bench.parley.url, path: '/webhooks/whatsapp', seconds: seconds * 2, warmupSeconds: 0.5, concurrency: CONCURRENCY,
      secret: APP_SECRET, prefix: `in${Date.now().toString(36)}-`, body: 'mixed', sent,
    });
    const intakePerSec = intake.ok / intake.seconds;
    await topUp(db, DRAIN_EVENTS);
    await settleWrites(bench);
    const d = await drain(bench, sent);
    const s = await sustained(client, bench, sent, seconds * 2);
    const result: ProcessingBenchResult = {
      intakeStoredPerSec: Math.round(intakePerSec), drainAppliedPerSec: Math.round(d.appliedPerSec), ratio: round(d.appliedPerSec / intakePerSec, 2),
      drained: d.drained, drainSeconds: round(d.seconds, 1), maxLoopDelayMs: round(d.maxLoopDelayMs, 1),
      healthP99Ms: round(d.healthP99Ms, 1), webhookAckP99Ms: round(d.ackP99Ms, 1),
      sustainedStoredPerSec: Math.round(s.storedPerSec), sustainedAppliedPerSec: Math.round(s.appliedPerSec),
      backlogAfterLoad: s.backlog, backlogClearedSeconds: round(s.clearedSeconds, 1),
    };
    process.stdout.write([
      `processing bench (Parley on ${benchDatabase() === 'postgres' ? 'PostgreSQL' : 'SQLite in a temp dir'}; signed webhooks, half customers' texts from 5,000 customers, half statuses of ${SENT_MESSAGES} sent messages; ${CONCURRENCY} in flight from a forked client)`,
      `  intake only (worker stopped, ${seconds * 2} s): stored ${result.intakeStoredPerSec} webhooks/s (p99 ack ${round(intake.p99Ms, 1)} ms)`,
      `  drain of ${d.pending} events (${d.drained} applied in ${result.drainSeconds} s): applied ${result.drainAppliedPerSec} events/s, ${Math.round(d.cpuUsPerEvent)} µs of this process's CPU per event (all threads, probes included)`,
      `    during the drain (${d.probes} probes, one every ${PROBE_EVERY_MS} ms): /health p99 ${result.healthP99Ms} ms, new webhook ack p99 ${result.webhookAckP99Ms} ms, longest event-loop delay ${result.maxLoopDelayMs} ms (histogram max ${round(d.histogramMaxMs, 1)} ms, longest 5 ms-timer lateness ${round(d.maxGapMs, 1)} ms)`,
      `  sustained (worker on, ${seconds * 2} s): stored ${result.sustainedStoredPerSec}/s, applied ${result.sustainedAppliedPerSec}/s (p99 ack ${round(s.p99Ms, 1)} ms); backlog when the load stopped ${result.backlogAfterLoad}, back to 0 after ${result.backlogClearedSeconds} s`,
      `  goals: R ≥ 1.0, backlog back to 0, longest loop delay < 50 ms, /health p99 < 50 ms`,
      `processing/intake ratio ${result.ratio}`,
    ].join('\n') + '\n');
    return result;
  } finally {
    await bench.close();
    client.close();
  }
}

if (isMain(import.meta)) runAsMain(() => run());
