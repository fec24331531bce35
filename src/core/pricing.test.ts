import { describe, expect, it } from 'vitest';
import { costOfReportedPricing, pricingCategoryOfTemplate, priceMessage, rateCardAt, rateMicros, type PriceInput } from './pricing.js';

const JAN_2026 = Date.UTC(2026, 1, 15);
const BEFORE_OCT_2026 = Date.UTC(2026, 8, 30, 23, 59, 59, 999);
const OCT_2026 = Date.UTC(2026, 9, 1);

function input(partial: Partial<PriceInput>): PriceInput {
  return { category: 'marketing', market: 'india', serviceWindowOpen: false, entryPointOpen: false, at: JAN_2026, ...partial };
}

describe('priceMessage (per-message pricing)', () => {
  it.each([
    // [label, input, type, billable, costMicros]
    ['marketing outside CSW is charged', {}, 'regular', true, 11_800],
    ['marketing inside CSW is still charged', { serviceWindowOpen: true }, 'regular', true, 11_800],
    ['utility outside CSW is charged', { category: 'utility' }, 'regular', true, 1_400],
    ['utility inside CSW is free', { category: 'utility', serviceWindowOpen: true }, 'free_customer_service', false, 0],
    ['authentication inside CSW is charged', { category: 'authentication', serviceWindowOpen: true }, 'regular', true, 1_400],
    ['authentication-international uses its own rate', { category: 'authentication-international' }, 'regular', true, 28_000],
    ['auth-intl without a rate falls back to authentication', { category: 'authentication-international', market: 'brazil' }, 'regular', true, 6_800],
    ['service (free-form) is free', { category: 'service', serviceWindowOpen: true }, 'free_customer_service', false, 0],
    ['marketing inside FEP is free', { entryPointOpen: true }, 'free_entry_point', false, 0],
    ['utility inside FEP is free', { category: 'utility', entryPointOpen: true }, 'free_entry_point', false, 0],
    ['service inside FEP is free', { category: 'service', serviceWindowOpen: true, entryPointOpen: true }, 'free_entry_point', false, 0],
    ['North America marketing', { market: 'north_america' }, 'regular', true, 25_000],
    ['Germany marketing', { market: 'germany' }, 'regular', true, 136_500],
    ['Rest of Latin America utility', { market: 'rest_of_latin_america', category: 'utility' }, 'regular', true, 11_300],
    ['a market missing from the transcription uses Other', { market: 'spain' }, 'regular', true, 60_400],
    ['marketing_lite is priced as marketing', { category: 'marketing_lite', market: 'brazil' }, 'regular', true, 62_500],
    ['utility in CSW on the last ms before Oct 2026 is free', { category: 'utility', serviceWindowOpen: true, at: BEFORE_OCT_2026 }, 'free_customer_service', false, 0],
    ['utility in CSW from Oct 2026 is charged', { category: 'utility', serviceWindowOpen: true, at: OCT_2026 }, 'regular', true, 1_400],
    ['service from Oct 2026 is charged at the utility rate', { category: 'service', serviceWindowOpen: true, at: OCT_2026, market: 'brazil' }, 'regular', true, 6_800],
    ['FEP stays free from Oct 2026', { category: 'service', entryPointOpen: true, at: OCT_2026 }, 'free_entry_point', false, 0],
  ] as const)('%s', (_label, partial, type, billable, costMicros) => {
    const price = priceMessage(input(partial as Partial<PriceInput>));
    expect(price).toEqual({ category: (partial as Partial<PriceInput>).category ?? 'marketing', type, billable, costMicros });
  });
});

describe('costOfReportedPricing (Meta webhook is the truth)', () => {
  it.each([
    ['regular marketing', { category: 'marketing', type: 'regular', billable: true }, true, 11_800],
    ['free utility in CSW', { category: 'utility', type: 'free_customer_service', billable: false }, false, 0],
    ['free entry point', { category: 'marketing', type: 'free_entry_point', billable: false }, false, 0],
    ['CBP-era object without type, billable', { category: 'utility', billable: true }, true, 1_400],
    ['CBP-era object without type, not billable', { category: 'service', billable: false }, false, 0],
    ['regular service (from Oct 2026) costs the utility rate', { category: 'service', type: 'regular', billable: true }, true, 1_400],
  ] as const)('%s', (_label, pricing, billable, costMicros) => {
    const price = costOfReportedPricing(pricing, 'india', JAN_2026);
    expect(price.billable).toBe(billable);
    expect(price.costMicros).toBe(costMicros);
    expect(price.category).toBe(pricing.category);
  });
});

describe('rate card lookup', () => {
  it('uses the first card for earlier dates (estimate) and the newest in force otherwise', () => {
    expect(rateCardAt(Date.UTC(2025, 6, 1)).effectiveFrom).toBe(Date.UTC(2026, 0, 1));
    expect(rateCardAt(JAN_2026).currency).toBe('USD');
  });

  it.each([
    ['marketing', 'colombia', 12_500],
    ['utility', 'colombia', 800],
    ['referral_conversion', 'india', 0],
    ['utility', 'other', 7_700],
  ] as const)('%s in %s = %i micros', (category, market, micros) => {
    expect(rateMicros(category, market, JAN_2026)).toBe(micros);
  });

  it.each([['MARKETING', 'marketing'], ['utility', 'utility'], ['AUTHENTICATION', 'authentication'], ['weird', 'marketing']])(
    'template category %s → %s', (category, expected) => {
      expect(pricingCategoryOfTemplate(category)).toBe(expected);
    },
  );
});
