// Shared bench plumbing: Parley started on a fresh SQLite file in a temp dir, the sandbox as a
// separate process (as `npm run sandbox` runs it), a child-process load generator, and formatting.

import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { request } from 'undici';
import { startParley, type Parley } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import type { SeedSpec } from '../src/sandbox/seed.js';
import { freePort } from '../test/robustness/processes.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const benchSeconds = (): number => Number(process.env.BENCH_SECONDS ?? 3);

/** True when `meta.url` is the script node was started with (`npx tsx bench/x.ts`). */
export function isMain(meta: ImportMeta): boolean {
  return Boolean(process.argv[1]) && meta.url === pathToFileURL(process.argv[1]!).href;
}

export function runAsMain(run: () => Promise<unknown>): void {
  run().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
}

export interface BenchParley { parley: Parley; dir: string; close(): Promise<void> }

export interface BenchParleyOptions {
  workers: boolean;
  cloudApiBaseUrl?: string;
  senderConcurrency?: number;
  env?: Record<string, string>;
}

/** `BENCH_DATABASE=postgres` runs Parley on PostgreSQL (a throw-away schema); SQLite otherwise. */
export const benchDatabase = (): 'sqlite' | 'postgres' => (process.env.BENCH_DATABASE === 'postgres' ? 'postgres' : 'sqlite');
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Parley as `npm start` composes it (no embedded sandbox, no demo), quiet, on SQLite in a temp dir
 * (or PostgreSQL in a schema dropped afterwards, see benchDatabase).
 */
export async function startBenchParley(opts: BenchParleyOptions): Promise<BenchParley> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const schema = `bench_${process.pid}_${Date.now()}`;
  const postgres = benchDatabase() === 'postgres';
  const config = loadConfig({
    DATABASE_URL: postgres ? `${POSTGRES_URL}?schema=${schema}` : `sqlite:${join(dir, 'parley.db')}`,
    ...(postgres ? { ENCRYPTION_KEY: randomBytes(32).toString('base64') } : {}),
    PORT: '0', HOST: '127.0.0.1', SANDBOX: 'false', DEMO: 'false',
    LOG_LEVEL: 'silent', MEDIA_DIR: join(dir, 'media'), WORKER_POLL_MS: '20',
    SENDER_CONCURRENCY: String(opts.senderConcurrency ?? 16),
    ...(opts.cloudApiBaseUrl ? { CLOUD_API_BASE_URL: opts.cloudApiBaseUrl } : {}),
    ...opts.env,
  });
  const parley = await startParley(config, { workers: opts.workers });
  // Experiments only (not Parley's configuration): e.g. BENCH_SQLITE_PRAGMAS="wal_autocheckpoint=10000".
  for (const pragma of (process.env.BENCH_SQLITE_PRAGMAS ?? '').split(';').map((p) => p.trim()).filter(Boolean)) {
    if (!postgres) await sql`pragma ${sql.raw(pragma)}`.execute(parley.deps.database.db);
  }
  return {
    parley, dir,
    async close() {
      if (postgres) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(parley.deps.database.db);
      await parley.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


/**
 * Puts a setup phase's writes on disk before measuring: a SQLite checkpoint, then `sync`. Otherwise
 * the kernel writes them back about 30 s later (dirty page expiry), in the middle of a measured
 * round, taking CPU from both processes.
 */
export async function settleWrites(bench: BenchParley): Promise<void> {
  if (bench.parley.deps.database.dialect === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(bench.parley.deps.database.db);
  execFileSync('sync');
}

export interface SandboxProcess { url: string; child: ChildProcess; close(): Promise<void> }

/** `src/sandbox/main.ts` in its own process (its own core), seeded from a temp seed file. */
export async function startSandboxProcess(seed: SeedSpec, env: Record<string, string> = {}): Promise<SandboxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-sandbox-'));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts'], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_HOST: '127.0.0.1', SANDBOX_SEED_FILE: seedFile, ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('listening on')) { child.stdout?.off('data', onData); child.stdout?.resume(); resolve(); }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sandbox process exited early (${code}): ${out}`)));
  });
  return {
    url, child,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON call to the sandbox's control API (`/_sandbox/…`). */
export async function control<T>(base: string, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const res = await request(`${base}/_sandbox${path}`, {
    method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`control ${method} ${path}: ${res.statusCode} ${text}`);
  return JSON.parse(text) as T;
}

// ---------- the load generator child (bench/load-client.ts) ----------

export interface LoadJob {
  base: string;
  path: string;
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
  /** App secret that signs each body. */
  secret: string;
  /** Makes each run's payloads unique (Parley stores identical payloads once). */
  prefix: string;
  /** Instead of signed webhooks: these JSON bodies in turn, with this Authorization header; `okStatus` counts as ok. */
  json?: { authorization: string; bodies: string[]; okStatus: number };
  /** Signed webhooks: 'statuses' (default) of unknown messages, or 'mixed': customers' texts and statuses of `sent`. */
  body?: 'statuses' | 'mixed';
  sent?: Array<{ id: string; wamid: string; to: string }>;
}

export interface LoadReport {
  ok: number;
  failed: number;
  /** Requests answered 200 during warm-up (stored too). */
  warmupOk: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  bodyBytes: number;
  statuses: Record<string, number>;
  /** The load generator's own CPU time per second of the measured run (1 = one core busy). */
  clientCpu: number;
  /** Wall-clock bounds (epoch ms) of the measured run, to measure the server's CPU over the same span. */
  startedAt: number;
  endedAt: number;
}

export interface LoadClient { run(job: LoadJob): Promise<LoadReport>; close(): void }

/** Forks the load generator so it runs on its own core, not in the server's event loop. */
export function startLoadClient(): LoadClient {
  const child = fork(fileURLToPath(new URL('./load-client.ts', import.meta.url)), [], {
    cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    run: (job) => new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`load client exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (report) => { child.off('exit', onExit); resolve(report as LoadReport); });
      child.send(job);
    }),
    close: () => { child.kill(); },
  };
}

// ---------- numbers ----------

/**
 * This process's CPU (cores busy, all threads) over a wall-clock span reported by the load client:
 * samples every 50 ms, and `within(from, to)` reads the samples inside the span (then stops).
 */
export function cpuSampler(): { within(from: number, to: number): number } {
  const samples: Array<{ at: number; cpu: number }> = [];
  const tick = (): void => {
    const c = process.cpuUsage();
    samples.push({ at: Date.now(), cpu: c.user + c.system });
  };
  tick();
  const timer = setInterval(tick, 50);
  return {
    within(from, to) {
      clearInterval(timer);
      tick();
      const first = samples.find((s) => s.at >= from) ?? samples[0]!;
      const last = [...samples].reverse().find((s) => s.at <= to) ?? samples[samples.length - 1]!;
      return last.at > first.at ? (last.cpu - first.cpu) / 1000 / (last.at - first.at) : 0;
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (n: number, digits = 0): number => Number(n.toFixed(digits));
