import { describe, expect, it } from 'vitest';
import { countryOfPhone, e164ToWaId, isUsNumber, isValidPhone, marketOfPhone, normalizePhone, waIdToE164 } from './phone.js';
import { isMarketingCapExemptCountry, marketOfCountry } from './markets.js';

describe('normalizePhone', () => {
  it.each([
    ['+7 916 123-45-67', undefined, '+79161234567', 'RU', '7'],
    ['8 916 123-45-67', 'RU', '+79161234567', 'RU', '7'],
    ['8 (916) 123 45 67', 'ru', '+79161234567', 'RU', '7'],
    ['+1 (212) 555-1234', undefined, '+12125551234', 'US', '1'],
    ['(416) 555-1234', 'CA', '+14165551234', 'CA', '1'],
    ['0044 7911 123456', undefined, '+447911123456', 'GG', '44'],
    ['07911 123456', 'GB', '+447911123456', 'GG', '44'],
    ['+55 11 91234-5678', undefined, '+5511912345678', 'BR', '55'],
    ['  +4915123456789 ', undefined, '+4915123456789', 'DE', '49'],
  ])('%s (default %s) → %s', (input, country, e164, iso, callingCode) => {
    const result = normalizePhone(input, country);
    expect(result).toEqual({ ok: true, e164, country: iso, callingCode });
  });

  it.each([
    ['', 'phone_empty'],
    ['   ', 'phone_empty'],
    ['8 916 123-45-67', 'phone_invalid'], // no "+" and no default country
    ['+7 916', 'phone_invalid'],
    ['hello', 'phone_invalid'],
    ['+999 123456789', 'phone_invalid'],
    ['+1 555 0100 99999', 'phone_invalid'],
  ])('%j is refused with %s', (input, code) => {
    const result = normalizePhone(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message.length).toBeGreaterThan(0);
    }
    expect(isValidPhone(input)).toBe(false);
  });

  it('never throws on non-string input', () => {
    expect(normalizePhone(undefined as unknown as string).ok).toBe(false);
    expect(normalizePhone(42 as unknown as string).ok).toBe(false);
  });
});

describe('wa_id', () => {
  it.each([
    ['79161234567', '+79161234567'],
    ['16505551234', '+16505551234'],
    ['+16505551234', '+16505551234'],
    ['abc', null],
    ['123', null],
    ['', null],
  ])('%s → %s', (waId, e164) => {
    expect(waIdToE164(waId)).toBe(e164);
  });

  it('round-trips through E.164', () => {
    expect(e164ToWaId('+79161234567')).toBe('79161234567');
    expect(waIdToE164(e164ToWaId('+5511912345678'))).toBe('+5511912345678');
  });
});

describe('country and market of a number', () => {
  it.each([
    ['+79161234567', 'RU', 'russia'],
    ['79161234567', 'RU', 'russia'],
    ['+77011234567', 'KZ', 'russia'], // +7 is rated as Russia by calling code
    ['+12125551234', 'US', 'north_america'],
    ['+14165551234', 'CA', 'north_america'],
    ['+18095551234', 'DO', 'rest_of_latin_america'], // NANP island
    ['+18765551234', 'JM', 'rest_of_latin_america'],
    ['+17875551234', 'PR', 'rest_of_latin_america'],
    ['+12465551234', 'BB', 'rest_of_latin_america'], // Barbados: NANP, not in a named list
    ['+447911123456', 'GG', 'united_kingdom'],
    ['+447400123456', 'GB', 'united_kingdom'],
    ['+919812345678', 'IN', 'india'],
    ['+5511912345678', 'BR', 'brazil'],
    ['+61412345678', 'AU', 'rest_of_asia_pacific'],
    ['+48512345678', 'PL', 'rest_of_central_eastern_europe'],
    ['+351912345678', 'PT', 'rest_of_western_europe'],
    ['+254712345678', 'KE', 'rest_of_africa'],
    ['+97455123456', 'QA', 'rest_of_middle_east'],
    ['+971501234567', 'AE', 'united_arab_emirates'],
    ['+380501234567', 'UA', 'rest_of_central_eastern_europe'],
    ['+85512345678', 'KH', 'rest_of_asia_pacific'],
    ['+9647901234567', 'IQ', 'rest_of_middle_east'],
    ['+37491234567', 'AM', 'rest_of_central_eastern_europe'],
    ['+3545551234', 'IS', 'other'],
  ])('%s is %s in %s', (number, country, market) => {
    expect(countryOfPhone(number)).toBe(country);
    expect(marketOfPhone(number)).toBe(market);
  });

  it('garbage has no country and is priced as Other', () => {
    expect(countryOfPhone('nope')).toBeNull();
    expect(marketOfPhone('nope')).toBe('other');
  });

  it.each([
    ['+12125551234', true],
    ['12125551234', true],
    ['+14165551234', false],
    ['+17875551234', false],
    ['+447911123456', false],
  ])('isUsNumber(%s) = %s', (number, us) => {
    expect(isUsNumber(number)).toBe(us);
  });
});

describe('marketOfCountry', () => {
  it.each([
    ['US', {}, 'north_america'],
    ['ca', {}, 'north_america'],
    ['ZW', { at: Date.UTC(2025, 8, 30) }, 'other'],
    ['ZW', { at: Date.UTC(2025, 9, 1) }, 'rest_of_africa'],
    ['ZW', {}, 'rest_of_africa'],
    ['GU', { nanp: true }, 'rest_of_latin_america'],
    ['GU', {}, 'other'],
    ['XX', {}, 'other'],
    [null, {}, 'other'],
  ] as const)('%s %o → %s', (country, options, market) => {
    expect(marketOfCountry(country, options)).toBe(market);
  });

  it.each([['DE', true], ['GB', true], ['JP', true], ['KR', true], ['NO', true], ['US', false], ['IN', false], [null, false]])(
    'marketing-cap exempt %s → %s', (country, exempt) => {
      expect(isMarketingCapExemptCountry(country)).toBe(exempt);
    },
  );
});
