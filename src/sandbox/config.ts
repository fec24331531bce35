// The standalone sandbox's configuration from environment variables — the only sandbox file that
// reads process.env. Every value is validated at start with a message naming its key.

import { readFileSync } from 'node:fs';
import type { SandboxOptions } from './state.js';
import type { SeedSpec } from './seed.js';

export interface SandboxConfig {
  port: number;
  host: string;
  /** Base URL the sandbox is reachable at (media URLs, printed links). */
  publicUrl: string;
  options: Partial<SandboxOptions>;
  /** Seed spec from SANDBOX_SEED_FILE; undefined → the built-in demo seed. */
  seed?: SeedSpec;
  /** Webhook callback for the seeded app(s) (no handshake: the operator configured it). */
  callbackUrl?: string;
  /** Virtual clock speed (1 = real time). */
  clockScale: number;
  /** SANDBOX_STATE_FILE: SQLite file keeping the state across restarts; undefined → in memory only. */
  stateFile?: string;
  /** SANDBOX_RESET (or `--reset`): discard the kept state and start from the seed. */
  resetState?: boolean;
}

export class SandboxConfigError extends Error {}

type Env = Record<string, string | undefined>;

function intOf(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SandboxConfigError(`${key} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return n;
}

function numberOf(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new SandboxConfigError(`${key} must be a number between ${min} and ${max} (got "${raw}")`);
  return n;
}

function flagOf(env: Env, key: string): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new SandboxConfigError(`${key} must be true or false (got "${raw}")`);
}

function urlOf(env: Env, key: string): string | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new SandboxConfigError(`${key} must be an http(s) URL (got "${raw}")`);
  }
  return raw.replace(/\/+$/, '');
}

function seedFileOf(env: Env): SeedSpec | undefined {
  const path = env.SANDBOX_SEED_FILE;
  if (!path) return undefined;
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) {
    throw new SandboxConfigError(`SANDBOX_SEED_FILE cannot be read: ${(err as Error).message}`);
  }
  let spec: unknown;
  try { spec = JSON.parse(text); } catch {
    throw new SandboxConfigError('SANDBOX_SEED_FILE is not valid JSON (expected a SeedSpec object)');
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new SandboxConfigError('SANDBOX_SEED_FILE must hold a JSON object (a SeedSpec)');
  }
  return spec as SeedSpec;
}

export function loadSandboxConfig(env: Env = process.env): SandboxConfig {
  const port = intOf(env, 'SANDBOX_PORT', 4010, 0, 65535);
  const host = env.SANDBOX_HOST || '127.0.0.1';
  const publicUrl = urlOf(env, 'SANDBOX_PUBLIC_URL') ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const options: Partial<SandboxOptions> = {
    seed: intOf(env, 'SANDBOX_SEED', 42, 0, 2 ** 32 - 1),
    throttleHttpStatus: intOf(env, 'SANDBOX_THROTTLE_HTTP_STATUS', 400, 400, 599),
    templateReviewDelayMs: intOf(env, 'SANDBOX_TEMPLATE_REVIEW_DELAY_MS', 2000, 0, 7 * 24 * 3600_000),
    chaosDuplicateRate: numberOf(env, 'SANDBOX_CHAOS_DUPLICATE_RATE', 0, 0, 1),
    chaosReorder: env.SANDBOX_CHAOS_REORDER === '1' || env.SANDBOX_CHAOS_REORDER === 'true',
    publicBaseUrl: publicUrl,
  };
  const callbackUrl = urlOf(env, 'SANDBOX_CALLBACK_URL');
  const seed = seedFileOf(env);
  const stateFile = env.SANDBOX_STATE_FILE || undefined;
  return {
    port, host, publicUrl, options, clockScale: numberOf(env, 'SANDBOX_CLOCK_SCALE', 1, 0, 1_000_000),
    ...(seed ? { seed } : {}), ...(callbackUrl ? { callbackUrl } : {}),
    ...(stateFile ? { stateFile } : {}), resetState: flagOf(env, 'SANDBOX_RESET'),
  };
}
