// Creating a contact through the API: the phone number normalised to E.164 (a bare wa_id is read as
// international), with its country and pricing market, before it is stored once per workspace.

import { marketOfCountry } from '../core/markets.js';
import { e164ToWaId, normalizePhone } from '../core/phone.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { createContact, type ContactRecord } from '../store/queries/contacts.js';

export interface ContactInput { phone: string; name?: string | null; attributes?: Record<string, unknown>; tags?: string[] }

export async function createContactFromPhone(deps: AppDeps, workspaceId: string, input: ContactInput): Promise<ContactRecord> {
  const raw = input.phone.trim();
  const phone = normalizePhone(/^\d+$/.test(raw) ? `+${raw}` : raw);
  if (!phone.ok) {
    throw new AppError('validation_failed', `"phone": ${phone.message}; use international format like +79161234567.`, { field: 'phone', code: phone.code });
  }
  const now = deps.now();
  return createContact(deps.database.db, workspaceId, {
    waId: e164ToWaId(phone.e164), e164: phone.e164, country: phone.country, market: marketOfCountry(phone.country, { at: now }),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.attributes !== undefined ? { attributes: input.attributes } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    now,
  });
}
