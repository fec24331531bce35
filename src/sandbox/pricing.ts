// Per-message pricing as the sandbox reports it on status webhooks: category, type
// (regular / free_customer_service / free_entry_point), billable and a USD price from the rate card of
// the recipient's market, versioned by date (PMP from 2025-07-01, paid service from 2026-10-01).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing

import type { PricingCategory, PricingType, TemplateCategory } from '../cloudapi/wire.js';
import { marketOf, OCT_2026, type Market } from './markets.js';

export interface Rates { marketing: number; utility: number; authentication: number; authInternational?: number }

/**
 * USD rates per delivered message, "effective January 1, 2026" as transcribed by a third party from
 * Meta's card. Markets the transcription lacks carry approximate values from Meta's 2025 card, and the
 * nine markets split out on 2026-10-01 keep their former group's rate until real figures are loaded.
 * Production use must reload Meta's CSV; the sandbox only needs plausible, stable numbers.
 */
export const RATE_CARD_USD: Record<Market, Rates> = {
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
  uae: { marketing: 0.0499, utility: 0.0157, authentication: 0.0157, authInternational: 0.051 },
  rest_of_western_europe: { marketing: 0.0592, utility: 0.0171, authentication: 0.0171 },
  rest_of_central_eastern_europe: { marketing: 0.086, utility: 0.0212, authentication: 0.0212 },
  rest_of_asia_pacific: { marketing: 0.0732, utility: 0.0113, authentication: 0.0113 },
  rest_of_latin_america: { marketing: 0.074, utility: 0.0113, authentication: 0.0113 },
  rest_of_africa: { marketing: 0.0225, utility: 0.004, authentication: 0.004 },
  rest_of_middle_east: { marketing: 0.0341, utility: 0.0091, authentication: 0.0091 },
  other: { marketing: 0.0604, utility: 0.0077, authentication: 0.0077 },
  // approximate (not in the transcribed table)
  argentina: { marketing: 0.0618, utility: 0.026, authentication: 0.026 },
  chile: { marketing: 0.0889, utility: 0.02, authentication: 0.02 },
  egypt: { marketing: 0.0644, utility: 0.0036, authentication: 0.0036, authInternational: 0.065 },
  israel: { marketing: 0.0353, utility: 0.0053, authentication: 0.0053 },
  italy: { marketing: 0.0691, utility: 0.03, authentication: 0.03 },
  malaysia: { marketing: 0.086, utility: 0.014, authentication: 0.014, authInternational: 0.0418 },
  nigeria: { marketing: 0.0516, utility: 0.0067, authentication: 0.0067, authInternational: 0.075 },
  pakistan: { marketing: 0.0473, utility: 0.0054, authentication: 0.0054, authInternational: 0.075 },
  peru: { marketing: 0.0703, utility: 0.02, authentication: 0.02 },
  south_africa: { marketing: 0.0379, utility: 0.0076, authentication: 0.0076, authInternational: 0.022 },
  spain: { marketing: 0.0615, utility: 0.02, authentication: 0.02 },
  // standalone from 2026-10-01: former group's rate (Meta's new figures are not in our sources)
  kazakhstan: { marketing: 0.0802, utility: 0.04, authentication: 0.04 },
  bangladesh: { marketing: 0.0732, utility: 0.0113, authentication: 0.0113 },
  nepal: { marketing: 0.0732, utility: 0.0113, authentication: 0.0113 },
  sri_lanka: { marketing: 0.0732, utility: 0.0113, authentication: 0.0113 },
  iraq: { marketing: 0.0341, utility: 0.0091, authentication: 0.0091 },
  kuwait: { marketing: 0.0341, utility: 0.0091, authentication: 0.0091 },
  oman: { marketing: 0.0341, utility: 0.0091, authentication: 0.0091 },
  morocco: { marketing: 0.0225, utility: 0.004, authentication: 0.004 },
  ukraine: { marketing: 0.086, utility: 0.0212, authentication: 0.0212 },
};

/** Per-message pricing starts here; before it the sandbox still prices per message (no CBP model). */
export const PMP_FROM = Date.UTC(2025, 6, 1);
/** From here service messages and utility inside the service window are charged at the utility rate. */
export const PAID_SERVICE_FROM = OCT_2026;

export interface PricingFacts {
  /** Epoch ms the message is priced at (the sandbox clock). */
  at: number;
  /** Recipient wa_id (digits). */
  to: string;
  /** Template category at time of use; undefined for non-template messages. */
  templateCategory?: TemplateCategory;
  /** The recipient's customer service window is open for this business number. */
  inServiceWindow: boolean;
  /** A free entry point window is open (or opened by this very message). */
  inFreeEntryPoint: boolean;
}

export interface PricingDecision {
  category: PricingCategory;
  type: PricingType;
  billable: boolean;
  priceUsd: number;
  market: Market;
}

/** Prices one message. Pure: every input is a fact, including the date. */
export function priceMessage(f: PricingFacts): PricingDecision {
  const market = marketOf(f.to, f.at).market;
  const rates = RATE_CARD_USD[market];
  const category = categoryOf(f.templateCategory);
  const paidService = f.at >= PAID_SERVICE_FROM;
  const free = (type: PricingType): PricingDecision => ({ category, type, billable: false, priceUsd: 0, market });
  const charged = (rate: number): PricingDecision => ({ category, type: 'regular', billable: true, priceUsd: rate, market });

  // Everything inside an open FEP window is free, templates included, before and after Oct 2026.
  if (f.inFreeEntryPoint) return free('free_entry_point');
  switch (category) {
    case 'marketing': return charged(rates.marketing);
    case 'authentication': return charged(rates.authentication);
    case 'utility':
      if (f.inServiceWindow && !paidService) return free('free_customer_service');
      return charged(rates.utility);
    default:
      // Non-template ("service") messages: free until 2026-10-01, then at the utility rate.
      return paidService ? charged(rates.utility) : free('free_customer_service');
  }
}

function categoryOf(c: TemplateCategory | undefined): PricingCategory {
  if (c === 'MARKETING') return 'marketing';
  if (c === 'UTILITY') return 'utility';
  if (c === 'AUTHENTICATION') return 'authentication';
  return 'service';
}
