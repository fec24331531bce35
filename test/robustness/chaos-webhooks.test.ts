// Chaos on the webhook path: the sandbox delivers half of its webhook POSTs twice and shuffles their
// order (and the updates inside a batch); then every delivered body is replayed once more with other
// bytes (a different batch carrying the same updates). Nothing is applied twice and every outbound
// message ends at the highest status the sandbox reached for it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './processes.js';
import type { SandboxMessage } from './tenant.js';
import { outboundStatuses, startWorld, type World } from './world.js';

/** Delivered at once and never read (the built-in 'silent' persona delivers only after a while). */
const UNREAD_PERSONA = {
  reachable: 1, deliverMs: [0, 0], read: 0, readMs: [0, 0], reply: 0, replyMs: [0, 0], replies: [],
  block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 1_000_000,
};
/** Customers with different endings: read ('load'), delivered only, failed (not on WhatsApp). */
const CUSTOMERS = [
  { waId: '447911123030', persona: 'load' }, { waId: '447911123031', persona: 'load' },
  { waId: '447911123032', persona: 'load' }, { waId: '447911123033', persona: 'unread' },
  { waId: '447911123034', persona: 'unread' }, { waId: '447911123035', persona: 'load', onWhatsApp: false },
];
const FINAL: Record<string, string> = { '447911123030': 'read', '447911123031': 'read', '447911123032': 'read', '447911123033': 'delivered', '447911123034': 'delivered', '447911123035': 'failed' };
const PER_CUSTOMER = 4;
const REPLIES = 3;

interface LogEntry { seq: number; body: string; delivered: boolean; duplicateOf?: number }

describe.each(['sqlite', 'postgres'] as const)('chaos webhooks [%s]', (kind) => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ kind, sandboxOptions: { chaosDuplicateRate: 0.5, chaosReorder: true, webhookBatchMs: 100, webhookBatchMax: 3 } });
  }, 30_000);
  afterAll(async () => { await world?.close(); });

  async function settle(): Promise<void> {
    await world.control('POST', '/webhooks/flush', {});
    await waitFor('stored webhook events processed', async () => {
      const open = await world.tdb.database.db.selectFrom('webhook_events').select('id').where('status', 'in', ['pending', 'processing']).execute();
      return open.length === 0;
    }, 20_000);
  }

  async function snapshot() {
    const db = world.tdb.database.db;
    const inbound = await db.selectFrom('messages').select(['wamid', 'status']).where('workspace_id', '=', world.tenant.workspaceId)
      .where('direction', '=', 'in').orderBy('wamid').execute();
    const contacts = await db.selectFrom('contacts').select('wa_id').where('workspace_id', '=', world.tenant.workspaceId).execute();
    return { inbound, outbound: await outboundStatuses(world), contacts: contacts.map((c) => c.wa_id).sort() };
  }

  it('applies nothing twice and ends every status at its highest state', { timeout: 90_000 }, async () => {
    expect((await world.control('PUT', '/personas/unread', UNREAD_PERSONA)).status).toBe(200);
    for (const c of CUSTOMERS) expect((await world.control('POST', '/customers', c)).status).toBe(201);
    const ids: string[] = [];
    for (let round = 0; round < PER_CUSTOMER; round++) {
      for (const c of CUSTOMERS) {
        const res = await world.api<{ id: string }>('POST', '/messages', { to: `+${c.waId}`, content: { type: 'template', name: 'hello_world', language: 'en_US' } });
        expect(res.status).toBe(202);
        ids.push(res.body.id);
      }
    }
    const reachable = CUSTOMERS.filter((c) => c.onWhatsApp !== false);
    for (let i = 0; i < REPLIES; i++) {
      for (const c of reachable) {
        expect((await world.control('POST', `/customers/${c.waId}/messages`, { type: 'text', text: `reply ${i} from ${c.waId}` })).status).toBe(200);
      }
    }

    // Parley ends where the sandbox ends: each message at its final status.
    const sandboxStatuses = async () => {
      const sends = (await world.control<{ data: SandboxMessage[] }>('GET', '/messages?limit=1000')).body.data;
      return new Map(sends.map((m) => [m.bizOpaqueCallbackData ?? '', { status: m.status, final: FINAL[m.to] }]));
    };
    await waitFor('Parley statuses to match the sandbox', async () => {
      await settle();
      const [want, got] = [await sandboxStatuses(), await outboundStatuses(world)];
      return ids.every((id) => want.get(id)?.status === want.get(id)?.final && got.get(id) === want.get(id)?.status);
    }, 60_000, 250).catch(async (err: unknown) => {
      const [want, got] = [await sandboxStatuses(), await outboundStatuses(world)];
      throw new Error(`${(err as Error).message}: ${JSON.stringify(ids.map((id) => [got.get(id), want.get(id)]))}`);
    });

    const log = (await world.control<{ data: LogEntry[] }>('GET', '/log/webhooks?limit=10000')).body.data;
    const twins = log.filter((e) => e.duplicateOf !== undefined).length;
    console.info(`[${kind}] ${log.length} webhook POSTs, ${twins} of them chaos duplicates`);
    expect(twins).toBeGreaterThan(0);

    // A chaos twin is byte-identical: the log is append-only, so it is stored again (unless it shared
    // the original's write), and the snapshot below shows it applied once.
    const stored = (await world.tdb.database.db.selectFrom('webhook_events').select('id').execute()).length;
    const delivered = log.filter((e) => e.delivered);
    expect(stored).toBeGreaterThanOrEqual(new Set(delivered.map((e) => e.body)).size);
    expect(stored).toBeLessThanOrEqual(delivered.length);

    const first = await snapshot();
    const inboundCount = reachable.length * REPLIES;
    expect(first.inbound).toHaveLength(inboundCount);
    expect(new Set(first.inbound.map((m) => m.wamid)).size).toBe(inboundCount);
    expect(first.contacts).toEqual(CUSTOMERS.map((c) => c.waId).sort());

    // Replay every delivered body as other bytes (as Meta's re-batched redeliveries are): only the
    // handlers' idempotency keeps the state as it was.
    for (const entry of log.filter((e) => e.delivered)) expect((await world.postWebhook(`${entry.body}\n`)).status).toBe(200);
    await settle();
    expect(await snapshot()).toEqual(first);
  });
});
