// Account-level webhooks applied to Parley's records: number quality and throughput, the
// portfolio messaging limit, account restrictions, and customers' marketing stop / resume.

import type {
  AccountUpdateEvent, CapabilityEvent, PhoneQualityEvent, UserPreferenceEvent,
} from '../core/inbound.js';
import { tierLimit } from '../core/limits.js';
import type { AppDeps } from '../http/deps.js';
import { marketOfCountry } from '../core/markets.js';
import { countryOfPhone, waIdToE164 } from '../core/phone.js';
import { applyMarketingPreference, findContactByWaId, upsertContact } from '../store/queries/contacts.js';
import { findInboxByPhoneNumberId, findInboxesByWabaId, updateInbox } from '../store/queries/inboxes.js';

const limitNumber = (tier: Parameters<typeof tierLimit>[0]): number => {
  const n = tierLimit(tier);
  return Number.isFinite(n) ? n : -1;
};

export async function applyPhoneQuality(deps: AppDeps, e: PhoneQualityEvent): Promise<void> {
  if (!e.wabaId) return;
  for (const inbox of await findInboxesByWabaId(deps.database.db, e.wabaId)) {
    if (e.displayPhoneNumber && inbox.displayPhoneNumber.replace(/\D/g, '') !== e.displayPhoneNumber.replace(/\D/g, '')) continue;
    // THROUGHPUT_UPGRADE: Meta raised the number to 1,000 mps (https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput).
    const patch = {
      ...(e.event === 'THROUGHPUT_UPGRADE' ? { throughputMps: 1000 } : {}),
      ...(e.currentLimit ? { messagingLimit: limitNumber(e.currentLimit) } : {}),
    };
    if (Object.keys(patch).length > 0) await updateInbox(deps.database.db, inbox.workspaceId, inbox.id, patch, deps.now());
  }
}

/** The portfolio limit is shared by all its numbers, so every inbox of the WABA gets it. */
export async function applyCapability(deps: AppDeps, e: CapabilityEvent): Promise<void> {
  if (!e.wabaId || !e.messagingLimit) return;
  for (const inbox of await findInboxesByWabaId(deps.database.db, e.wabaId)) {
    await updateInbox(deps.database.db, inbox.workspaceId, inbox.id, { messagingLimit: limitNumber(e.messagingLimit) }, deps.now());
  }
}

export async function applyAccountUpdate(deps: AppDeps, e: AccountUpdateEvent): Promise<void> {
  deps.logger.info({ wabaId: e.wabaId, event: e.event }, 'account update');
  if (!e.wabaId) return;
  const restricted = e.event === 'ACCOUNT_RESTRICTION' && e.restrictions.some((r) => r.expiresAt === null || r.expiresAt > deps.now());
  const disabled = e.event === 'DISABLED_UPDATE' && e.banState !== null && e.banState !== 'SCHEDULE_FOR_DISABLE';
  if (!restricted && !disabled) return;
  for (const inbox of await findInboxesByWabaId(deps.database.db, e.wabaId)) {
    await updateInbox(deps.database.db, inbox.workspaceId, inbox.id, { status: restricted ? 'RESTRICTED' : 'BANNED' }, deps.now());
  }
}

/** A customer stopped (or resumed) marketing from this number: Meta would fail marketing with 131050. */
export async function applyUserPreference(deps: AppDeps, e: UserPreferenceEvent): Promise<void> {
  if (!e.phoneNumberId || e.category !== 'marketing_messages') return;
  const inbox = await findInboxByPhoneNumberId(deps.database.db, e.phoneNumberId);
  if (!inbox) return;
  // A stop from someone Parley has no contact for yet is kept: the contact is created opted out,
  // else a later marketing send would earn Meta's 131050.
  const contact = await findContactByWaId(deps.database.db, inbox.workspaceId, e.waId)
    ?? await upsertContactByWaId(deps, inbox.workspaceId, e.waId);
  const at = e.timestamp ?? deps.now();
  await applyMarketingPreference(deps.database.db, inbox.workspaceId, contact.id, { optOut: e.value === 'stop', at, now: deps.now() });
}

async function upsertContactByWaId(deps: AppDeps, workspaceId: string, waId: string) {
  const now = deps.now();
  const e164 = waIdToE164(waId);
  const country = e164 ? countryOfPhone(e164) : null;
  return upsertContact(deps.database.db, workspaceId, { waId, e164, country, market: marketOfCountry(country, { at: now }), now });
}
