// Phone numbers: E.164 normalisation and validation (libphonenumber-js, full metadata), wa_id
// conversion, the country of a number and its Meta pricing market.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { marketOfCountry, type PricingMarket } from './markets.js';

export type PhoneResult =
  | { ok: true; e164: string; country: string | null; callingCode: string }
  | { ok: false; code: 'phone_empty' | 'phone_invalid'; message: string };

/**
 * Normalise user input ("+7 916 123-45-67", "8 916 123-45-67" with country RU, "0044 20…") to E.164.
 * Numbers without "+" need a default country; wa_ids (digits only, with country code) go through
 * `waIdToE164`.
 */
export function normalizePhone(input: string, defaultCountry?: string): PhoneResult {
  const raw = typeof input === 'string' ? input.trim() : '';
  if (raw === '') return { ok: false, code: 'phone_empty', message: 'phone number is empty' };
  const cleaned = raw.replace(/^00/, '+');
  const country = defaultCountry ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(cleaned, country);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !parsed.isValid()) {
    const hint = cleaned.startsWith('+') || country ? '' : ' (no country code and no default country)';
    return { ok: false, code: 'phone_invalid', message: `"${raw}" is not a valid phone number${hint}` };
  }
  return { ok: true, e164: parsed.number, country: parsed.country ?? null, callingCode: parsed.countryCallingCode };
}

export function isValidPhone(input: string, defaultCountry?: string): boolean {
  return normalizePhone(input, defaultCountry).ok;
}

/** A WhatsApp wa_id is the number in international form without "+" ("79161234567"). */
export function waIdToE164(waId: string): string | null {
  const digits = typeof waId === 'string' ? waId.trim().replace(/^\+/, '') : '';
  if (!/^\d{6,15}$/.test(digits)) return null;
  const result = normalizePhone(`+${digits}`);
  // wa_ids come from Meta: keep them even when our metadata is stricter than WhatsApp's.
  return result.ok ? result.e164 : `+${digits}`;
}

export function e164ToWaId(e164: string): string {
  return e164.replace(/\D/g, '');
}

/** ISO 3166 alpha-2 country of a number (E.164 or wa_id), or null when it cannot be told. */
export function countryOfPhone(number: string): string | null {
  const e164 = number.startsWith('+') ? number : waIdToE164(number);
  if (!e164) return null;
  try {
    return parsePhoneNumberFromString(e164)?.country ?? null;
  } catch {
    return null;
  }
}

/**
 * The Meta pricing market of a recipient. Why the NANP special case: Meta rates +1 numbers by
 * network prefix, so 1-809 (Dominican Republic) is Rest of Latin America, not North America
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing).
 */
export function marketOfPhone(number: string, at?: number): PricingMarket {
  const e164 = number.startsWith('+') ? number : waIdToE164(number);
  if (!e164) return 'other';
  const country = countryOfPhone(e164);
  return marketOfCountry(country, { nanp: e164.startsWith('+1'), ...(at === undefined ? {} : { at }) });
}

/** Is this a US number (+1 with a US area code)? Puerto Rico and Canada are not. */
export function isUsNumber(number: string): boolean {
  return countryOfPhone(number) === 'US';
}
