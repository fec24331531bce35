// `npm run bench`: the sandbox, webhook-intake, send, pacing, processing, queueing and latency
// benchmarks in sequence (bench/read-api runs alone: it builds 1M messages), each printing
// its own figures, then one summary table. Only ratios measured within one run are comparable (the
// machine is shared and noisy). BENCH_SECONDS sets the seconds per measured side (default 3).

import { run as runSandbox } from './sandbox.js';
import { run as runWebhooks } from './webhooks.js';
import { run as runSend } from './send.js';
import { run as runPacing } from './pacing.js';
import { run as runProcessing } from './processing.js';
import { run as runQueueing } from './queueing.js';
import { run as runLatency } from './latency.js';
import { runAsMain } from './harness.js';

interface Row { bench: string; figure: string; goal: string; ok: boolean }

async function main(): Promise<void> {
  const rows: Row[] = [];
  const sandbox = await runSandbox();
  rows.push({ bench: 'sandbox', figure: `ratio ${sandbox.ratio} (${sandbox.sandboxRps} vs ${sandbox.bareRps} req/s)`, goal: '≥ 0.5', ok: sandbox.ratio >= 0.5 });
  process.stdout.write('\n');
  const webhooks = await runWebhooks();
  rows.push({
    bench: 'webhooks', figure: `ratio ${webhooks.ratio}, median of rounds ${webhooks.rounds.map((r) => r.ratio).join(' / ')} (${webhooks.parleyRps} vs ${webhooks.bareRps} req/s), p99 ack ${webhooks.parleyP99Ms} ms`,
    goal: '≥ 0.75', ok: webhooks.ratio >= 0.75 && webhooks.stored >= webhooks.acknowledged,
  });
  process.stdout.write('\n');
  const send = await runSend();
  rows.push({
    bench: 'send', figure: `ratio ${send.ratio}, median of rounds ${send.rounds.map((r) => r.ratio).join(' / ')} (${send.parleyMps} vs ${send.rawMps} msg/s)`,
    goal: '≥ 0.8', ok: send.ratio >= 0.8,
  });
  process.stdout.write('\n');
  const pacing = await runPacing();
  rows.push({
    bench: 'pacing', figure: `${pacing.steadyMps} msg/s (${pacing.deviationPct} %), 130429: ${pacing.throttled130429}`,
    goal: '±1 % of 80, 0 × 130429', ok: Math.abs(pacing.deviationPct) <= 1 && pacing.throttled130429 === 0,
  });
  process.stdout.write('\n');
  const processing = await runProcessing();
  rows.push({
    bench: 'processing', figure: `ratio ${processing.ratio} (${processing.drainAppliedPerSec} applied vs ${processing.intakeStoredPerSec} stored/s), backlog ${processing.backlogAfterLoad}, loop max ${processing.maxLoopDelayMs} ms, /health p99 ${processing.healthP99Ms} ms`,
    goal: '≥ 1.0, < 50 ms', ok: processing.ratio >= 1 && processing.maxLoopDelayMs < 50 && processing.healthP99Ms < 50,
  });
  process.stdout.write('\n');
  const queueing = await runQueueing();
  rows.push({
    bench: 'queueing', figure: `ratio ${queueing.ratio} (${queueing.parleyRps} vs ${queueing.bareRps} req/s), bulk ${queueing.bulkMps} msg/s`,
    goal: '≥ 0.1, bulk ≥ 5000', ok: queueing.ratio >= 0.1 && queueing.bulkMps >= 5000,
  });
  process.stdout.write('\n');
  const latency = await runLatency();
  rows.push({
    bench: 'latency', figure: `inbound p99 ${latency.inboundP99Ms} ms, reply p99 ${latency.replyP99Ms} ms during ${latency.broadcast} (lost ${latency.lost})`,
    goal: 'p99 < 50 ms', ok: latency.inboundP99Ms < 50 && latency.replyP99Ms < 50 && latency.lost === 0,
  });
  const width = (key: keyof Row) => Math.max(key.length, ...rows.map((r) => String(r[key]).length));
  const [b, f, g] = [width('bench'), width('figure'), width('goal')];
  const line = (r: { bench: string; figure: string; goal: string; ok: string }) =>
    `  ${r.bench.padEnd(b)}  ${r.figure.padEnd(f)}  ${r.goal.padEnd(g)}  ${r.ok}`;
  process.stdout.write([
    '', 'summary', line({ bench: 'bench', figure: 'figure', goal: 'goal', ok: 'met' }),
    ...rows.map((r) => line({ ...r, ok: r.ok ? 'yes' : 'NO' })),
  ].join('\n') + '\n');
}

runAsMain(main);
