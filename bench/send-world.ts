// The world the send and pacing benches share: a sandbox process seeded with numbers, `load`
// customers (delivered and read at once, no replies) and an approved utility template, and Parley
// with one inbox per number whose messages are queued through the real send service (policy
// included) before the sender starts.

import { sendMessage } from '../src/services/outbound.js';
import { InboxCache } from '../src/services/inbox-cache.js';
import { syncTemplates } from '../src/services/templates.js';
import { createInbox, type InboxRecord } from '../src/store/queries/inboxes.js';
import { createWorkspace } from '../src/store/queries/workspaces.js';
import type { SeedSpec } from '../src/sandbox/seed.js';
import type { BenchParley } from './harness.js';

export const WABA_ID = '720000000000001';
export const TOKEN = 'bench-send-token';
export const TEMPLATE = { name: 'bench_shipping_update', language: 'en_US' };
const FIRST_NUMBER = 620000000000000;
const FIRST_CUSTOMER = 447911100000;

export const numberIdOf = (i: number): string => String(FIRST_NUMBER + i);
export const customerOf = (i: number): string => String(FIRST_CUSTOMER + i);

/**
 * No callback URL: the sandbox records status webhooks but posts none, so the send benches measure
 * the sender alone (the webhook bench measures intake). Portfolio limit unlimited (-1).
 */
export function sendSeed(numbers: number, mps: number, customers: number): SeedSpec {
  return {
    apps: [{ id: '920000000000001', secret: 'bench-send-secret' }],
    businesses: [{ id: '820000000000001', verified: true, messagingLimit: -1 }],
    wabas: [{ id: WABA_ID, businessId: '820000000000001', subscribedApps: ['920000000000001'] }],
    phoneNumbers: Array.from({ length: numbers }, (_, i) => ({
      id: numberIdOf(i), wabaId: WABA_ID, displayPhoneNumber: String(15550200000 + i), throughputMps: mps,
    })),
    tokens: [{ token: TOKEN, appId: '920000000000001', wabaIds: [WABA_ID] }],
    customers: Array.from({ length: customers }, (_, i) => ({ waId: customerOf(i), persona: 'load' })),
    templates: [{
      wabaId: WABA_ID, name: TEMPLATE.name, language: TEMPLATE.language, category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your order has shipped and will arrive tomorrow. Reply HELP for help.' }],
    }],
  };
}

export interface SendWorld { workspaceId: string; inboxes: InboxRecord[] }

/** One workspace, one inbox per sandbox number (unlimited tier, `mps` throughput), templates synced. */
export async function prepareParley(bench: BenchParley, numbers: number, mps: number): Promise<SendWorld> {
  const { deps } = bench.parley;
  const { db } = deps.database;
  const workspace = await createWorkspace(db, { name: 'Bench' });
  const inboxes: InboxRecord[] = [];
  for (let i = 0; i < numbers; i++) {
    inboxes.push(await createInbox(db, workspace.id, {
      phoneNumberId: numberIdOf(i), wabaId: WABA_ID, displayPhoneNumber: String(15550200000 + i),
      status: 'CONNECTED', messagingLimit: -1, throughputMps: mps, accessToken: TOKEN,
    }, deps.secretKey));
  }
  await syncTemplates(deps, await new InboxCache(deps).get(workspace.id, inboxes[0]!.id));
  return { workspaceId: workspace.id, inboxes };
}

/** Queues `count` template messages through the send service, spread over inboxes and customers. */
export async function queueMessages(bench: BenchParley, world: SendWorld, count: number, customers: number, offset = 0): Promise<void> {
  const { deps } = bench.parley;
  for (let i = offset; i < offset + count; i++) {
    const inbox = world.inboxes[i % world.inboxes.length]!;
    const { decision } = await sendMessage(deps, world.workspaceId, {
      inboxId: inbox.id, to: `+${customerOf(Math.floor(i / world.inboxes.length) % customers)}`,
      content: { type: 'template', name: TEMPLATE.name, language: TEMPLATE.language },
    });
    if (!decision.allow) throw new Error(`bench message denied by policy: ${JSON.stringify(decision)}`);
  }
}
