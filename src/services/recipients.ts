// Resolving who a message goes to and from: the inbox (explicit, or the workspace's only number)
// and the contact (by id, or by phone number — created on first contact with its country and market).

import { marketOfCountry } from '../core/markets.js';
import { countryOfPhone, e164ToWaId, normalizePhone, waIdToE164 } from '../core/phone.js';
import { AppError } from '../errors.js';
import type { Db } from '../store/db.js';
import { findContactByWaId, getContact, upsertContact, type ContactRecord } from '../store/queries/contacts.js';
import { getInbox, listInboxes, type InboxRecord } from '../store/queries/inboxes.js';

export async function resolveInbox(db: Db, workspaceId: string, inboxId: string | undefined): Promise<InboxRecord> {
  if (inboxId !== undefined) {
    const inbox = await getInbox(db, workspaceId, inboxId);
    if (!inbox) throw new AppError('inbox_not_found');
    return inbox;
  }
  const inboxes = await listInboxes(db, workspaceId);
  if (inboxes.length === 1) return inboxes[0]!;
  if (inboxes.length === 0) throw new AppError('inbox_not_found', 'This workspace has no WhatsApp number yet; connect one first.');
  throw new AppError('validation_failed', 'This workspace has several numbers: say which one with inboxId.');
}

export async function resolveContact(
  db: Db, workspaceId: string, target: { contactId?: string; to?: string }, now: number,
): Promise<ContactRecord> {
  if (target.contactId !== undefined) {
    const contact = await getContact(db, workspaceId, target.contactId);
    if (!contact) throw new AppError('contact_not_found');
    return contact;
  }
  if (target.to === undefined) throw new AppError('validation_failed', 'Say who the message is for: "to" (a phone number) or "contactId".');
  const fields = contactFieldsOfPhone(target.to, now);
  // A known contact whose number facts are unchanged is not written again (one read, not an upsert).
  const known = await findContactByWaId(db, workspaceId, fields.waId);
  if (known && !changesContact(known, fields)) return known;
  return upsertContact(db, workspaceId, { ...fields, now });
}

export interface PhoneContactFields { waId: string; e164: string; country: string | null; market: string | null }

/** A recipient's "to" as a contact's wa_id, E.164, country and pricing market; AppError when it is not a valid number. */
export function contactFieldsOfPhone(to: string, now: number): PhoneContactFields {
  const raw = to.trim();
  let phone = parsedPhones.get(raw);
  if (!phone) {
    // A bare wa_id ("79161234567") is international without "+".
    phone = normalizePhone(/^\d+$/.test(raw) ? `+${raw}` : raw);
    if (parsedPhones.size >= NUMBER_FACTS_CACHE_SIZE) parsedPhones.clear();
    parsedPhones.set(raw, phone);
  }
  if (!phone.ok) throw new AppError('validation_failed', `"to": ${phone.message}; use international format like +79161234567.`, { code: phone.code });
  return { waId: e164ToWaId(phone.e164), e164: phone.e164, country: phone.country, market: marketOfCountry(phone.country, { at: now }) };
}

/** Numbers as callers wrote them, parsed once (libphonenumber took ≈ 3 % of an API send's CPU). */
const parsedPhones = new Map<string, ReturnType<typeof normalizePhone>>();

/** Whether upserting these fields would change the stored contact (null fields keep the stored value). */
export function changesContact(stored: ContactRecord, fields: { e164: string | null; country: string | null; market: string | null }): boolean {
  return (fields.e164 !== null && fields.e164 !== stored.e164)
    || (fields.country !== null && fields.country !== stored.country)
    || (fields.market !== null && fields.market !== stored.market);
}

/** A wa_id's E.164 form and country, parsed once (libphonenumber took ≈ 3 % of a webhook event's CPU). */
const numberFactsCache = new Map<string, { e164: string | null; country: string | null }>();
const NUMBER_FACTS_CACHE_SIZE = 10_000;

function numberFacts(waId: string): { e164: string | null; country: string | null } {
  let facts = numberFactsCache.get(waId);
  if (!facts) {
    const e164 = waIdToE164(waId);
    facts = { e164, country: e164 ? countryOfPhone(e164) : null };
    if (numberFactsCache.size >= NUMBER_FACTS_CACHE_SIZE) numberFactsCache.clear();
    numberFactsCache.set(waId, facts);
  }
  return facts;
}

/**
 * The contact for a wa_id as Meta sends it (digits, international), created or refreshed with its
 * E.164 form, country and pricing market — for webhooks, where the number needs no validation.
 */
export async function upsertContactFromWaId(
  db: Db, workspaceId: string, input: { waId: string; name?: string | null; inboundAt?: number; now: number },
): Promise<ContactRecord> {
  const { e164, country } = numberFacts(input.waId);
  return upsertContact(db, workspaceId, {
    waId: input.waId, e164, country, market: marketOfCountry(country, { at: input.inboundAt ?? input.now }),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.inboundAt !== undefined ? { inboundAt: input.inboundAt } : {}),
    now: input.now,
  });
}
