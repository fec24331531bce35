// Parley's own table of Meta pricing markets: which market a country's recipients are billed in.
// Source: Meta's pricing page (standalone markets and regional groups), as of the Jan 2026 rate card.

/** Meta's pricing markets: standalone countries, North America (US + CA), regional groups, Other. */
export const PRICING_MARKETS = [
  'argentina', 'brazil', 'chile', 'colombia', 'egypt', 'france', 'germany', 'india', 'indonesia',
  'israel', 'italy', 'malaysia', 'mexico', 'netherlands', 'nigeria', 'pakistan', 'peru', 'russia',
  'saudi_arabia', 'south_africa', 'spain', 'turkey', 'united_arab_emirates', 'united_kingdom',
  'north_america', 'rest_of_africa', 'rest_of_asia_pacific', 'rest_of_central_eastern_europe',
  'rest_of_latin_america', 'rest_of_middle_east', 'rest_of_western_europe', 'other',
] as const;

export type PricingMarket = (typeof PRICING_MARKETS)[number];

const STANDALONE: Readonly<Record<string, PricingMarket>> = {
  AR: 'argentina', BR: 'brazil', CL: 'chile', CO: 'colombia', EG: 'egypt', FR: 'france', DE: 'germany',
  IN: 'india', ID: 'indonesia', IL: 'israel', IT: 'italy', MY: 'malaysia', MX: 'mexico', NL: 'netherlands',
  NG: 'nigeria', PK: 'pakistan', PE: 'peru', RU: 'russia', SA: 'saudi_arabia', ZA: 'south_africa',
  ES: 'spain', TR: 'turkey', AE: 'united_arab_emirates', GB: 'united_kingdom', US: 'north_america', CA: 'north_america',
};

const GROUPS: ReadonlyArray<[PricingMarket, string]> = [
  ['rest_of_africa', 'DZ AO BJ BW BF BI CM TD CG ER ET GA GM GH GW CI KE LS LR LY MG MW ML MR MA MZ NA NE RW SN SL SO SS SD SZ TZ TG TN UG ZM'],
  ['rest_of_asia_pacific', 'AF AU BD KH CN HK JP LA MN NP NZ PG PH SG LK TW TJ TH TM UZ VN'],
  ['rest_of_central_eastern_europe', 'AL AM AZ BY BG HR CZ GE GR HU LV LT MK MD PL RO RS SK SI UA'],
  ['rest_of_latin_america', 'BO CR DO EC SV GT HT HN JM NI PA PY PR UY VE'],
  ['rest_of_middle_east', 'BH IQ JO KW LB OM QA YE'],
  ['rest_of_western_europe', 'AT BE DK FI IE NO PT SE CH'],
];

const BY_COUNTRY: ReadonlyMap<string, PricingMarket> = new Map([
  ...Object.entries(STANDALONE),
  ...GROUPS.flatMap(([market, list]) => list.split(' ').map((c) => [c, market] as [string, PricingMarket])),
]);

/**
 * Territories that share a calling code with a priced country. Why: Meta rates by "country calling
 * code" (https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing), so a
 * +44 Guernsey number is billed as the UK and a +7 Kazakh number as Russia.
 */
const SAME_CALLING_CODE: Readonly<Record<string, string>> = {
  GG: 'GB', JE: 'GB', IM: 'GB', KZ: 'RU', AX: 'FI', SJ: 'NO', VA: 'IT', EH: 'MA',
};

/** Zimbabwe (+263) moved from Other to Rest of Africa on 2025-10-01 (pricing page change log). */
const ZIMBABWE_MOVE_AT = Date.UTC(2025, 9, 1);

/**
 * The pricing market of an ISO 3166 alpha-2 country, as of `at` (epoch ms; default: today's card).
 * NANP countries other than US and CA (Caribbean islands and territories on +1) are billed as
 * Rest of Latin America, per the pricing page's network-prefix note.
 * Known gap: the nine markets Meta makes standalone on 2026-10-01 (Bangladesh, Iraq, Kazakhstan,
 * Kuwait, Morocco, Nepal, Oman, Sri Lanka, Ukraine) stay in their group until we have their rates.
 */
export function marketOfCountry(country: string | null | undefined, options: { at?: number; nanp?: boolean } = {}): PricingMarket {
  if (!country) return 'other';
  const upper = country.toUpperCase();
  const iso = SAME_CALLING_CODE[upper] ?? upper;
  if (iso === 'ZW') return options.at !== undefined && options.at < ZIMBABWE_MOVE_AT ? 'other' : 'rest_of_africa';
  const market = BY_COUNTRY.get(iso);
  if (market) return market;
  return options.nanp ? 'rest_of_latin_america' : 'other';
}

/** EEA, UK, Japan and South Korea: Meta's per-user marketing cap is not active there (per-user-limits page). */
const MARKETING_CAP_EXEMPT = new Set(
  ('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO ' + 'GB JP KR').split(' '),
);

export function isMarketingCapExemptCountry(country: string | null | undefined): boolean {
  return !!country && MARKETING_CAP_EXEMPT.has(country.toUpperCase());
}
