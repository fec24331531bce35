// `npm run bench`: the sandbox, webhook-intake, send and pacing benchmarks in sequence, each printing
// its own figures, then one summary table. Only ratios measured within one run are comparable (the
// machine is shared and noisy). BENCH_SECONDS sets the seconds per measured side (default 3).

import { run as runSandbox } from './sandbox.js';
import { run as runWebhooks } from './webhooks.js';
import { run as runSend } from './send.js';
import { run as runPacing } from './pacing.js';
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
