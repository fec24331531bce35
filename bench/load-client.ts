// The load generator, forked by bench/harness.ts so it has its own event loop and core: for each job
// it pre-signs unique status webhooks (or takes the job's JSON bodies and bearer token), then keeps
// `concurrency` POSTs in flight over keep-alive connections for the warm-up and the measured
// seconds, and reports counts and latency.

import { Pool } from 'undici';
import { signPayload } from '../src/cloudapi/signature.js';
import type { LoadJob, LoadReport } from './harness.js';
import { percentile } from './harness.js';
import { mixedWebhookBody, statusWebhookBody } from './webhook-payload.js';

/** Signed bodies for 30k requests/s (above what the server side can take here); past that they repeat. */
const PRESIGNED_PER_SECOND = 30_000;

interface Signed { body: string; signature: string }

function presign(job: LoadJob, count: number): Signed[] {
  const at = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const body = job.body === 'mixed' ? mixedWebhookBody(job.prefix, i, job.sent ?? [], at) : statusWebhookBody(job.prefix, i, at);
    return { body, signature: signPayload(body, job.secret) };
  });
}

async function drive(pool: Pool, job: LoadJob, bodies: Signed[], from: number, seconds: number, latencies: number[] | undefined) {
  let next = from;
  let ok = 0;
  let failed = 0;
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const signed = bodies[next++ % bodies.length]!;
      const t0 = performance.now();
      const res = await pool.request({
        method: 'POST', path: job.path, body: signed.body,
        headers: job.json
          ? { 'content-type': 'application/json', authorization: job.json.authorization }
          : { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature },
      });
      await res.body.dump();
      latencies?.push(performance.now() - t0);
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode === (job.json?.okStatus ?? 200)) ok++; else failed++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  return { ok, failed, next, statuses, seconds: (performance.now() - started) / 1000 };
}

async function runJob(job: LoadJob): Promise<LoadReport> {
  const bodies = job.json
    ? job.json.bodies.map((body) => ({ body, signature: '' }))
    : presign(job, Math.ceil((job.seconds + job.warmupSeconds) * PRESIGNED_PER_SECOND));
  const pool = new Pool(job.base, { connections: job.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const warm = await drive(pool, job, bodies, 0, job.warmupSeconds, undefined);
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const startedAt = Date.now();
  const main = await drive(pool, job, bodies, warm.next, job.seconds, latencies);
  const cpu = process.cpuUsage(cpu0);
  const endedAt = Date.now();
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    ok: main.ok, failed: main.failed, warmupOk: warm.ok, seconds: main.seconds,
    p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99),
    bodyBytes: Buffer.byteLength(bodies[0]!.body), statuses: main.statuses,
    clientCpu: (cpu.user + cpu.system) / 1e6 / main.seconds, startedAt, endedAt,
  };
}

process.on('message', (job) => {
  runJob(job as LoadJob).then((report) => process.send?.(report), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
});
