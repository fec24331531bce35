// Account-level webhooks applied to Parley's records: number quality and throughput, the
// portfolio messaging limit, account restrictions, and customers' marketing stop / resume.

import type {
  AccountUpdateEvent, CapabilityEvent, PhoneQualityEvent, UserPreferenceEvent,
} from '../core/inbound.js';
import { statusAfterAccountUpdate } from '../core/account-status.js';
import { tierLimit } from '../core/limits.js';
import { UPGRADED_THROUGHPUT_MPS } from '../core/rate.js';
import type { AppDeps } from '../http/deps.js';
import { applyMarketingPreference, findContactByWaId } from '../store/queries/contacts.js';
import { updateInbox } from '../store/queries/inboxes.js';
import { upsertContactFromWaId } from './recipients.js';
import type { WebhookScope } from './webhook-scope.js';

const limitNumber = (tier: Parameters<typeof tierLimit>[0]): number => {
  const n = tierLimit(tier);
  return Number.isFinite(n) ? n : -1;
};

export async function applyPhoneQuality(deps: AppDeps, scope: WebhookScope, e: PhoneQualityEvent): Promise<void> {
  if (!e.wabaId) return;
  for (const inbox of await scope.inboxesOfWaba(e.wabaId)) {
    if (e.displayPhoneNumber && inbox.displayPhoneNumber.replace(/\D/g, '') !== e.displayPhoneNumber.replace(/\D/g, '')) continue;
    // THROUGHPUT_UPGRADE: Meta raised the number to 1,000 mps (https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput).
    const patch = {
      ...(e.event === 'THROUGHPUT_UPGRADE' ? { throughputMps: UPGRADED_THROUGHPUT_MPS } : {}),
      ...(e.currentLimit ? { messagingLimit: limitNumber(e.currentLimit) } : {}),
    };
    if (Object.keys(patch).length > 0) await updateInbox(deps.database.db, inbox.workspaceId, inbox.id, patch, deps.now());
  }
}

/** The portfolio limit is shared by all its numbers, so every inbox of the WABA gets it. */
export async function applyCapability(deps: AppDeps, scope: WebhookScope, e: CapabilityEvent): Promise<void> {
  if (!e.wabaId || !e.messagingLimit) return;
  for (const inbox of await scope.inboxesOfWaba(e.wabaId)) {
    await updateInbox(deps.database.db, inbox.workspaceId, inbox.id, { messagingLimit: limitNumber(e.messagingLimit) }, deps.now());
  }
}

/**
 * A ban or reinstatement changes the numbers' status (core/account-status). Restrictions are only
 * logged for now: Meta refuses the sends they cover (368 / 131031), which the sender records.
 */
export async function applyAccountUpdate(deps: AppDeps, scope: WebhookScope, e: AccountUpdateEvent): Promise<void> {
  deps.logger.info({ wabaId: e.wabaId, event: e.event, restrictions: e.restrictions, banState: e.banState }, 'account update');
  const status = statusAfterAccountUpdate(e.event, e.banState);
  if (!status) return;
  for (const inbox of await scope.inboxesOfWaba(e.wabaId)) {
    await updateInbox(deps.database.db, inbox.workspaceId, inbox.id, { status }, deps.now());
  }
}

/** A customer stopped (or resumed) marketing from this number: Meta would fail marketing with 131050. */
export async function applyUserPreference(deps: AppDeps, scope: WebhookScope, e: UserPreferenceEvent): Promise<void> {
  if (!e.phoneNumberId || e.category !== 'marketing_messages') return;
  const inbox = await scope.inboxByNumber(e.phoneNumberId);
  if (!inbox) return;
  // A stop from someone Parley has no contact for yet is kept: the contact is created opted out,
  // else a later marketing send would earn Meta's 131050.
  const contact = await findContactByWaId(deps.database.db, inbox.workspaceId, e.waId)
    ?? await upsertContactFromWaId(deps.database.db, inbox.workspaceId, { waId: e.waId, now: deps.now() });
  const at = e.timestamp ?? deps.now();
  await applyMarketingPreference(deps.database.db, inbox.workspaceId, contact.id, { optOut: e.value === 'stop', at, now: deps.now() });
}

