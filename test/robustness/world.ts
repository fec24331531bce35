// An in-process world for robustness tests: a fresh database with the sandbox's demo number as a
// tenant, the sandbox on port 0 (optionally behind a misbehaving proxy), and Parley on port 0 using it.

import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { loadConfig } from '../../src/config.js';
import { startParley, type Parley } from '../../src/compose.js';
import type { SandboxOptions } from '../../src/sandbox/state.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import type { DialectName } from '../../src/store/db.js';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { httpJson, waitFor } from './processes.js';
import { startSlowProxy, type ProxyOptions, type SlowProxy } from './slow-proxy.js';
import { SANDBOX_NUMBER, helloWorldSynced, parleyEnv, seedTenant, type Tenant } from './tenant.js';

export interface World {
  tdb: TestDatabase;
  tenant: Tenant;
  sandbox: RunningSandbox;
  parley: Parley;
  /** Parley's REST API with the tenant's key. */
  api<T = any>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The sandbox's control API. */
  control<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** POSTs raw bytes to Parley's webhook endpoint, signed with the sandbox app's secret. */
  postWebhook(raw: string | Buffer): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export interface WorldOptions {
  kind?: DialectName;
  sandboxOptions?: Partial<SandboxOptions>;
  proxy?: ProxyOptions;
  env?: Record<string, string>;
}

export function sign(raw: string | Buffer, secret: string = SANDBOX_NUMBER.appSecret): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const tdb = await openTestDatabase(opts.kind ?? 'sqlite', { label: 'robust' });
  const mediaDir = await mkdtemp(join(tmpdir(), 'parley-robust-'));
  const tenant = await seedTenant(tdb.database.db);
  const sandbox = await startSandbox({
    port: 0, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:0', clockScale: 1,
    options: { defaultPersona: 'load', ...opts.sandboxOptions },
  });
  const proxy: SlowProxy | undefined = opts.proxy ? await startSlowProxy(sandbox.url, opts.proxy) : undefined;
  const env = {
    ...parleyEnv({ port: 0, sandboxUrl: proxy?.url ?? sandbox.url, databaseUrl: tdb.url, secretKey: tenant.secretKey, mediaDir }),
    LOG_LEVEL: 'silent', WORKER_POLL_MS: '10', SEND_RETRY_BASE_MS: '50', SEND_RETRY_MAX_MS: '500',
    ...opts.env,
  };
  const parley = await startParley(loadConfig(env));
  for (const app of sandbox.ctx.state.apps.values()) app.callbackUrl = `${parley.url}/webhooks/whatsapp`;
  await waitFor('templates synced', () => helloWorldSynced(tdb.database.db, tenant.workspaceId), 20_000);
  const auth = { authorization: `Bearer ${tenant.apiKey}` };
  return {
    tdb, tenant, sandbox, parley,
    api: (method, path, body) => httpJson(method, `${parley.url}/api/v1${path}`, body, auth),
    control: (method, path, body) => httpJson(method, `${sandbox.url}/_sandbox${path}`, body),
    async postWebhook(raw) {
      const res = await request(`${parley.url}/webhooks/whatsapp`, {
        method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw) },
      });
      return { status: res.statusCode, body: await res.body.text() };
    },
    async close() {
      await parley.close().catch(() => undefined);
      await proxy?.close();
      await sandbox.close();
      await tdb.dispose();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/** Outbound messages of the tenant with their status (Parley's view). */
export async function outboundStatuses(world: World): Promise<Map<string, string>> {
  const rows = await world.tdb.database.db.selectFrom('messages').select(['id', 'status'])
    .where('workspace_id', '=', world.tenant.workspaceId).where('direction', '=', 'out').execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}
