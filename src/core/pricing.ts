// Cost of a delivered message under per-message pricing: category × recipient market × window/FEP
// × the rate card in force on the delivery date. Parley's own table; costs in USD micros.
import type { PricingCategory, PricingType } from '../cloudapi/wire.js';
import type { PricingMarket } from './markets.js';

/** Per-message pricing replaced conversation pricing on 2025-07-01 (pricing page). */
export const PMP_START = Date.UTC(2025, 6, 1);
/** From 2026-10-01 service messages and in-window utility templates are charged at the utility rate. */
export const SERVICE_CHARGED_FROM = Date.UTC(2026, 9, 1);

interface MarketRates { marketing: number; utility: number; authentication: number; authInternational?: number }

/**
 * USD rates per delivered message, "effective January 1, 2026" (as transcribed from Meta's CSV;
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing). Reload Meta's
 * CSV for production billing; these are estimates. Standalone markets missing from the transcription
 * (Argentina, Chile, Egypt, Israel, Italy, Malaysia, Nigeria, Pakistan, Peru, South Africa, Spain) fall
 * back to the Other rate rather than invented numbers.
 */
const USD_2026_01: Readonly<Partial<Record<PricingMarket, MarketRates>>> & { other: MarketRates } = {
  russia: { marketing: 0.0802, utility: 0.04, authentication: 0.04 },
  india: { marketing: 0.0118, utility: 0.0014, authentication: 0.0014, authInternational: 0.028 },
  indonesia: { marketing: 0.0411, utility: 0.025, authentication: 0.025, authInternational: 0.136 },
  brazil: { marketing: 0.0625, utility: 0.0068, authentication: 0.0068 },
  north_america: { marketing: 0.025, utility: 0.0034, authentication: 0.0034 },
  germany: { marketing: 0.1365, utility: 0.055, authentication: 0.055 },
  netherlands: { marketing: 0.1597, utility: 0.05, authentication: 0.05 },
  france: { marketing: 0.0859, utility: 0.03, authentication: 0.03 },
  united_kingdom: { marketing: 0.0529, utility: 0.022, authentication: 0.022 },
  mexico: { marketing: 0.0305, utility: 0.0085, authentication: 0.0085 },
  colombia: { marketing: 0.0125, utility: 0.0008, authentication: 0.0008 },
  turkey: { marketing: 0.0109, utility: 0.0053, authentication: 0.0053 },
  saudi_arabia: { marketing: 0.0455, utility: 0.0107, authentication: 0.0107, authInternational: 0.0598 },
  united_arab_emirates: { marketing: 0.0499, utility: 0.0157, authentication: 0.0157, authInternational: 0.051 },
  rest_of_western_europe: { marketing: 0.0592, utility: 0.0171, authentication: 0.0171 },
  rest_of_central_eastern_europe: { marketing: 0.086, utility: 0.0212, authentication: 0.0212 },
  rest_of_asia_pacific: { marketing: 0.0732, utility: 0.0113, authentication: 0.0113 },
  rest_of_latin_america: { marketing: 0.074, utility: 0.0113, authentication: 0.0113 },
  rest_of_africa: { marketing: 0.0225, utility: 0.004, authentication: 0.004 },
  rest_of_middle_east: { marketing: 0.0341, utility: 0.0091, authentication: 0.0091 },
  other: { marketing: 0.0604, utility: 0.0077, authentication: 0.0077 },
};

interface RateCard { effectiveFrom: number; currency: 'USD'; rates: Readonly<Partial<Record<PricingMarket, MarketRates>>> & { other: MarketRates } }

/** Newest last. Dates before the first card use the first card (estimates only). */
const RATE_CARDS: readonly RateCard[] = [{ effectiveFrom: Date.UTC(2026, 0, 1), currency: 'USD', rates: USD_2026_01 }];

/** The rate card in force at `at`. Why UTC: Meta switches at midnight in the WABA's time zone; pass a shifted `at` to honour it. */
export function rateCardAt(at: number): RateCard {
  let card = RATE_CARDS[0]!;
  for (const c of RATE_CARDS) if (c.effectiveFrom <= at) card = c;
  return card;
}

/** USD micros for one charged message of `category` in `market` at `at`. */
export function rateMicros(category: PricingCategory, market: PricingMarket, at: number): number {
  const card = rateCardAt(at).rates;
  const rates = card[market] ?? card.other;
  let usd: number;
  switch (category) {
    case 'marketing': case 'marketing_lite': usd = rates.marketing; break;
    case 'authentication': usd = rates.authentication; break;
    case 'authentication-international': usd = rates.authInternational ?? rates.authentication; break;
    case 'referral_conversion': usd = 0; break;
    case 'utility': case 'service': default: usd = rates.utility; break;
  }
  return Math.round(usd * 1_000_000);
}

export interface PriceInput {
  /** Template category (lowercase) or 'service' for any non-template message. */
  category: PricingCategory;
  market: PricingMarket;
  serviceWindowOpen: boolean;
  entryPointOpen: boolean;
  /** Delivery time (epoch ms): the rate card and the pricing rules in force then apply. */
  at: number;
}

export interface Price { category: PricingCategory; type: PricingType; billable: boolean; costMicros: number }

const FREE = (category: PricingCategory, type: PricingType): Price => ({ category, type, billable: false, costMicros: 0 });

/**
 * Estimate the cost of a message before sending (and the pricing Meta should report). Rules from
 * the pricing page: only delivered templates are charged; utility in an open CSW and everything in
 * an open FEP are free; from 2026-10-01 service and in-window utility are charged at the utility
 * rate while the FEP stays free. Dates before 2025-07-01 are priced with the same PMP rules
 * (conversation pricing is not modelled).
 */
export function priceMessage(input: PriceInput): Price {
  const { category, market, at } = input;
  if (input.entryPointOpen) return FREE(category, 'free_entry_point');
  if (category === 'referral_conversion') return FREE(category, 'free_entry_point');
  const freeInWindow = at < SERVICE_CHARGED_FROM;
  if (category === 'service') {
    return freeInWindow
      ? FREE(category, 'free_customer_service')
      : { category, type: 'regular', billable: true, costMicros: rateMicros('utility', market, at) };
  }
  if (category === 'utility' && input.serviceWindowOpen && freeInWindow) return FREE(category, 'free_customer_service');
  return { category, type: 'regular', billable: true, costMicros: rateMicros(category, market, at) };
}

/**
 * The cost to record when Meta's `pricing` object arrives on a status webhook: Meta's category and
 * type are the truth; our rate card only turns a charged message into money.
 */
export function costOfReportedPricing(
  pricing: { category: PricingCategory; type?: PricingType | undefined; billable?: boolean | undefined },
  market: PricingMarket,
  at: number,
): Price {
  const type: PricingType = pricing.type ?? (pricing.billable === false ? 'free_customer_service' : 'regular');
  const billable = type === 'regular' && pricing.billable !== false;
  return {
    category: pricing.category,
    type,
    billable,
    costMicros: billable ? rateMicros(pricing.category === 'service' ? 'utility' : pricing.category, market, at) : 0,
  };
}

/** Lowercase pricing category of a template category ('MARKETING' → 'marketing'). */
export function pricingCategoryOfTemplate(category: string): PricingCategory {
  const lower = category.toLowerCase();
  if (lower === 'marketing' || lower === 'utility' || lower === 'authentication') return lower;
  return 'marketing';
}
