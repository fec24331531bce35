// Recipient market from a wa_id's calling code, for the sandbox's rate card and market rules (US
// marketing pause, per-user cap exemptions). Own prefix table on purpose: the sandbox shares no logic
// with Parley (which uses libphonenumber-js), so a shared mistake cannot hide from both.
// Mapping: https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing (market list)

export type Market =
  | 'argentina' | 'brazil' | 'chile' | 'colombia' | 'egypt' | 'france' | 'germany' | 'india'
  | 'indonesia' | 'israel' | 'italy' | 'malaysia' | 'mexico' | 'netherlands' | 'nigeria'
  | 'pakistan' | 'peru' | 'russia' | 'saudi_arabia' | 'south_africa' | 'spain' | 'turkey' | 'uae'
  | 'united_kingdom' | 'north_america' | 'kazakhstan' | 'bangladesh' | 'iraq' | 'nepal'
  | 'sri_lanka' | 'kuwait' | 'morocco' | 'oman' | 'ukraine'
  | 'rest_of_africa' | 'rest_of_asia_pacific' | 'rest_of_central_eastern_europe'
  | 'rest_of_western_europe' | 'rest_of_latin_america' | 'rest_of_middle_east' | 'other';

export interface RecipientMarket {
  /** ISO 3166 alpha-2 country, '' when the prefix is unknown. */
  country: string;
  market: Market;
}

/** Markets split out of their regional group on 2026-10-01 (business-rules §2.1), keyed by country. */
const STANDALONE_FROM_OCT_2026: Record<string, Market> = {
  KZ: 'kazakhstan', BD: 'bangladesh', IQ: 'iraq', NP: 'nepal', LK: 'sri_lanka',
  KW: 'kuwait', MA: 'morocco', OM: 'oman', UA: 'ukraine',
};
export const OCT_2026 = Date.UTC(2026, 9, 1);
/** Zimbabwe moved from "Other" to "Rest of Africa" on 2025-10-01. */
const OCT_2025 = Date.UTC(2025, 9, 1);

const AF: Market = 'rest_of_africa';
const AP: Market = 'rest_of_asia_pacific';
const CE: Market = 'rest_of_central_eastern_europe';
const WE: Market = 'rest_of_western_europe';
const LA: Market = 'rest_of_latin_america';
const ME: Market = 'rest_of_middle_east';

/** Calling-code prefix → [country, market]. Longest prefix wins; +1 is resolved separately. */
const PREFIXES: Record<string, [string, Market]> = {
  // standalone markets
  '54': ['AR', 'argentina'], '55': ['BR', 'brazil'], '56': ['CL', 'chile'], '57': ['CO', 'colombia'],
  '20': ['EG', 'egypt'], '33': ['FR', 'france'], '49': ['DE', 'germany'], '91': ['IN', 'india'],
  '62': ['ID', 'indonesia'], '972': ['IL', 'israel'], '39': ['IT', 'italy'], '60': ['MY', 'malaysia'],
  '52': ['MX', 'mexico'], '31': ['NL', 'netherlands'], '234': ['NG', 'nigeria'], '92': ['PK', 'pakistan'],
  '51': ['PE', 'peru'], '7': ['RU', 'russia'], '966': ['SA', 'saudi_arabia'], '27': ['ZA', 'south_africa'],
  '34': ['ES', 'spain'], '90': ['TR', 'turkey'], '971': ['AE', 'uae'], '44': ['GB', 'united_kingdom'],
  // +7 6xx / 7xx is Kazakhstan: priced as Russia (shared calling code) until it became its own market.
  '76': ['KZ', 'russia'], '77': ['KZ', 'russia'],
  // Rest of Africa
  '213': ['DZ', AF], '244': ['AO', AF], '229': ['BJ', AF], '267': ['BW', AF], '226': ['BF', AF],
  '257': ['BI', AF], '237': ['CM', AF], '235': ['TD', AF], '242': ['CG', AF], '243': ['CD', AF],
  '291': ['ER', AF], '251': ['ET', AF], '241': ['GA', AF], '220': ['GM', AF], '233': ['GH', AF],
  '245': ['GW', AF], '225': ['CI', AF], '254': ['KE', AF], '266': ['LS', AF], '231': ['LR', AF],
  '218': ['LY', AF], '261': ['MG', AF], '265': ['MW', AF], '223': ['ML', AF], '222': ['MR', AF],
  '212': ['MA', AF], '258': ['MZ', AF], '264': ['NA', AF], '227': ['NE', AF], '250': ['RW', AF],
  '221': ['SN', AF], '232': ['SL', AF], '252': ['SO', AF], '211': ['SS', AF], '249': ['SD', AF],
  '268': ['SZ', AF], '255': ['TZ', AF], '228': ['TG', AF], '216': ['TN', AF], '256': ['UG', AF],
  '260': ['ZM', AF], '263': ['ZW', AF],
  // Rest of Asia Pacific
  '93': ['AF', AP], '61': ['AU', AP], '880': ['BD', AP], '855': ['KH', AP], '86': ['CN', AP],
  '852': ['HK', AP], '853': ['MO', AP], '81': ['JP', AP], '82': ['KR', AP], '856': ['LA', AP],
  '976': ['MN', AP], '977': ['NP', AP], '64': ['NZ', AP], '675': ['PG', AP], '63': ['PH', AP],
  '65': ['SG', AP], '94': ['LK', AP], '886': ['TW', AP], '992': ['TJ', AP], '66': ['TH', AP],
  '993': ['TM', AP], '998': ['UZ', AP], '84': ['VN', AP],
  // Rest of Central & Eastern Europe
  '355': ['AL', CE], '374': ['AM', CE], '994': ['AZ', CE], '375': ['BY', CE], '359': ['BG', CE],
  '385': ['HR', CE], '420': ['CZ', CE], '995': ['GE', CE], '30': ['GR', CE], '36': ['HU', CE],
  '371': ['LV', CE], '370': ['LT', CE], '389': ['MK', CE], '373': ['MD', CE], '48': ['PL', CE],
  '40': ['RO', CE], '381': ['RS', CE], '421': ['SK', CE], '386': ['SI', CE], '380': ['UA', CE],
  '372': ['EE', CE],
  // Rest of Western Europe
  '43': ['AT', WE], '32': ['BE', WE], '45': ['DK', WE], '358': ['FI', WE], '353': ['IE', WE],
  '47': ['NO', WE], '351': ['PT', WE], '46': ['SE', WE], '41': ['CH', WE],
  // Rest of Latin America (NANP islands are under +1 below)
  '591': ['BO', LA], '506': ['CR', LA], '593': ['EC', LA], '503': ['SV', LA], '502': ['GT', LA],
  '509': ['HT', LA], '504': ['HN', LA], '505': ['NI', LA], '507': ['PA', LA], '595': ['PY', LA],
  '598': ['UY', LA], '58': ['VE', LA],
  // Rest of Middle East
  '973': ['BH', ME], '964': ['IQ', ME], '962': ['JO', ME], '965': ['KW', ME], '961': ['LB', ME],
  '968': ['OM', ME], '974': ['QA', ME], '967': ['YE', ME],
  // "Other" markets the sandbox still names by country (EEA members matter for the marketing cap).
  '352': ['LU', 'other'], '356': ['MT', 'other'], '357': ['CY', 'other'], '354': ['IS', 'other'],
  '423': ['LI', 'other'],
};

/** Canadian area codes (North America like the US, but not under the US marketing pause). */
const CANADA_AREA_CODES = new Set(
  ('204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 450 460 ' +
    '468 474 506 514 519 548 579 581 584 587 600 604 613 639 647 672 683 705 709 742 753 778 780 782 ' +
    '807 819 825 867 873 879 902 905 942').split(' '),
);

/** NANP area codes outside the US and Canada: Caribbean islands and Pacific territories. */
const NANP_NON_US: Record<string, [string, Market]> = {
  '242': ['BS', LA], '246': ['BB', LA], '264': ['AI', LA], '268': ['AG', LA], '284': ['VG', LA],
  '340': ['VI', LA], '345': ['KY', LA], '441': ['BM', LA], '473': ['GD', LA], '649': ['TC', LA],
  '658': ['JM', LA], '876': ['JM', LA], '664': ['MS', LA], '721': ['SX', LA], '758': ['LC', LA],
  '767': ['DM', LA], '784': ['VC', LA], '787': ['PR', LA], '939': ['PR', LA], '809': ['DO', LA],
  '829': ['DO', LA], '849': ['DO', LA], '868': ['TT', LA], '869': ['KN', LA],
  // Pacific US territories: the sandbox prices them with Asia Pacific (Meta's list is silent).
  '670': ['MP', AP], '671': ['GU', AP], '684': ['AS', AP],
};

/** Market of a recipient's wa_id (digits only) on a given date (epoch ms). */
export function marketOf(waId: string, at: number): RecipientMarket {
  const digits = waId.replace(/\D/g, '');
  if (digits.startsWith('1')) return northAmericaOf(digits.slice(1, 4));
  for (let len = Math.min(4, digits.length); len >= 1; len--) {
    const hit = PREFIXES[digits.slice(0, len)];
    if (hit) return datedMarket(hit[0], hit[1], at);
  }
  return { country: '', market: 'other' };
}

function northAmericaOf(areaCode: string): RecipientMarket {
  const island = NANP_NON_US[areaCode];
  if (island) return { country: island[0], market: island[1] };
  return { country: CANADA_AREA_CODES.has(areaCode) ? 'CA' : 'US', market: 'north_america' };
}

function datedMarket(country: string, market: Market, at: number): RecipientMarket {
  if (at >= OCT_2026 && STANDALONE_FROM_OCT_2026[country]) {
    return { country, market: STANDALONE_FROM_OCT_2026[country] };
  }
  if (country === 'ZW' && at < OCT_2025) return { country, market: 'other' };
  return { country, market };
}

/** EEA members, the UK, Japan and South Korea: no per-user marketing cap there. */
const CAP_EXEMPT = new Set(
  ('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO ' +
    'GB JP KR').split(' '),
);

/** Whether Meta's adaptive per-user marketing cap applies to this recipient country.
 *  https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/per-user-limits */
export function marketingCapApplies(country: string): boolean {
  return !CAP_EXEMPT.has(country);
}

/** US marketing pause: marketing templates to +1 US numbers are not delivered since 2025-04-01. */
export const US_MARKETING_PAUSE_FROM = Date.UTC(2025, 3, 1);

export function isUsRecipient(waId: string): boolean {
  const digits = waId.replace(/\D/g, '');
  return digits.startsWith('1') && northAmericaOf(digits.slice(1, 4)).country === 'US';
}
