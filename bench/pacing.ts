// Benchmark: pacing. One number configured at 80 mps on both sides (Parley's inbox throughputMps and
// the sandbox number's throughput); Parley's sender drains pre-queued template messages to 200 `load`
// customers. The achieved rate is computed from the sandbox's accepted timestamps over the steady part
// (the middle 80 % of the sends) and must be within 1 % of 80; no send may get 130429.
// Run alone: `npx tsx bench/pacing.ts` (BENCH_PACING_MESSAGES=880 by default: about 11 s).

import { countOutbox } from '../src/store/queries/outbox.js';
import { control, isMain, round, runAsMain, startBenchParley, startSandboxProcess } from './harness.js';
import { prepareParley, queueMessages, sendSeed } from './send-world.js';

const MPS = 80;
const CUSTOMERS = 200;
const TOLERANCE_PCT = 1;

export interface PacingBenchResult {
  targetMps: number;
  steadyMps: number;
  deviationPct: number;
  overallMps: number;
  accepted: number;
  throttled130429: number;
}

interface SandboxMessage { sentAt: number }
interface RequestLogEntry { errorCode?: number }

/** Rate over the middle 80 % of sends: (n − 1) intervals over the time they span. */
function steadyRate(times: number[]): number {
  const from = Math.floor(times.length * 0.1);
  const to = Math.ceil(times.length * 0.9) - 1;
  const span = (times[to]! - times[from]!) / 1000;
  return (to - from) / span;
}

export async function run(messages = Number(process.env.BENCH_PACING_MESSAGES ?? 880)): Promise<PacingBenchResult> {
  const sandbox = await startSandboxProcess(sendSeed(1, MPS, CUSTOMERS));
  const bench = await startBenchParley({ workers: false, cloudApiBaseUrl: sandbox.url, senderConcurrency: 16 });
  try {
    const world = await prepareParley(bench, 1, MPS);
    await queueMessages(bench, world, messages, CUSTOMERS);
    const started = Date.now();
    bench.parley.sender.start();
    const { db } = bench.parley.deps.database;
    while (await countOutbox(db) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const { data } = await control<{ data: SandboxMessage[] }>(sandbox.url, 'GET', '/messages?limit=10000');
    const log = await control<{ data: RequestLogEntry[] }>(sandbox.url, 'GET', '/log/requests?limit=10000');
    const throttled = log.data.filter((e) => e.errorCode === 130429).length;
    const times = data.map((m) => m.sentAt).sort((a, b) => a - b);
    const steady = steadyRate(times);
    const result: PacingBenchResult = {
      targetMps: MPS, steadyMps: round(steady, 2), deviationPct: round(((steady - MPS) / MPS) * 100, 2),
      overallMps: round(times.length / ((times[times.length - 1]! - started) / 1000), 2),
      accepted: times.length, throttled130429: throttled,
    };
    const ok = Math.abs(result.deviationPct) <= TOLERANCE_PCT && throttled === 0 && times.length === messages;
    process.stdout.write([
      `pacing bench (1 number at ${MPS} mps in Parley and in the sandbox, ${messages} template messages, ${CUSTOMERS} load customers, sandbox in its own process)`,
      `  accepted by the sandbox: ${result.accepted}/${messages}; overall ${result.overallMps} msg/s from sender start to last accept (includes the start-up burst)`,
      `  steady rate (middle 80 % of accepts, sandbox timestamps): ${result.steadyMps} msg/s   deviation ${result.deviationPct} %  (goal within ±${TOLERANCE_PCT} %)`,
      `  130429 answers: ${throttled}  (goal 0)   ${ok ? 'OK' : 'FAILED'}`,
    ].join('\n') + '\n');
    return result;
  } finally {
    await bench.close();
    await sandbox.close();
  }
}

if (isMain(import.meta)) runAsMain(() => run());
