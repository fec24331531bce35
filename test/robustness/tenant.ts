// The sandbox's demo number as a Parley tenant, created straight through the store (no demo seeding),
// plus the Parley child's environment and small read-backs the robustness tests assert on.

import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/store/db.js';
import { createApiKey } from '../../src/store/queries/api-keys.js';
import { createInbox } from '../../src/store/queries/inboxes.js';
import { findTemplate } from '../../src/store/queries/templates.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';

/** The sandbox's demo seed (docs/sandbox.md): number, WABA, token and app secret. */
export const SANDBOX_NUMBER = {
  phoneNumberId: '600000000000001', wabaId: '700000000000001', displayPhoneNumber: '15550001111',
  accessToken: 'sandbox-token', appSecret: 'sandbox-app-secret', businessId: '800000000000001',
} as const;

export interface Tenant { workspaceId: string; inboxId: string; apiKey: string; secretKey: Buffer }

export async function seedTenant(db: Db, opts: { throughputMps?: number } = {}): Promise<Tenant> {
  const secretKey = randomBytes(32);
  const workspace = await createWorkspace(db, { name: 'Robustness' });
  const inbox = await createInbox(db, workspace.id, {
    phoneNumberId: SANDBOX_NUMBER.phoneNumberId, wabaId: SANDBOX_NUMBER.wabaId,
    displayPhoneNumber: SANDBOX_NUMBER.displayPhoneNumber, verifiedName: 'Demo Shop', status: 'CONNECTED',
    messagingLimit: -1, throughputMps: opts.throughputMps ?? 80,
    accessToken: SANDBOX_NUMBER.accessToken, appSecret: SANDBOX_NUMBER.appSecret,
  }, secretKey);
  const { key } = await createApiKey(db, workspace.id, { name: 'robustness' });
  return { workspaceId: workspace.id, inboxId: inbox.id, apiKey: key, secretKey };
}

/** Environment of a Parley child using an external sandbox and no demo. */
export function parleyEnv(o: { port: number; sandboxUrl: string; databaseUrl: string; secretKey: Buffer; mediaDir: string }): Record<string, string> {
  return {
    PORT: String(o.port), HOST: '127.0.0.1', SANDBOX: 'false', DEMO: 'false', CLOUD_API_BASE_URL: o.sandboxUrl,
    DATABASE_URL: o.databaseUrl, ENCRYPTION_KEY: o.secretKey.toString('hex'), MEDIA_DIR: o.mediaDir,
    SEND_RECONCILE_MS: '2000', LOG_LEVEL: 'warn', REDIS_URL: '', WORKER_POLL_MS: '50',
  };
}

/** Whether Parley's start-up template sync has stored hello_world (en_US). */
export async function helloWorldSynced(db: Db, workspaceId: string): Promise<boolean> {
  return (await findTemplate(db, workspaceId, { wabaId: SANDBOX_NUMBER.wabaId, name: 'hello_world', language: 'en_US' })) !== undefined;
}

/** Parley messages of a workspace by status. */
export async function statusCounts(db: Db, workspaceId: string, direction: 'in' | 'out' = 'out'): Promise<Record<string, number>> {
  const rows = await db.selectFrom('messages').select(['status']).select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId).where('direction', '=', direction).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Sandbox outbound messages (`/_sandbox/messages`) as far as these tests read them. */
export interface SandboxMessage { wamid: string; to: string; status: string; bizOpaqueCallbackData?: string }

/** How many sandbox sends carry each of our message ids. */
export function sendsPerId(messages: SandboxMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const id = m.bizOpaqueCallbackData ?? '(none)';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
