import { describe, expect, it } from 'vitest';
import { POLICY_RULES, US_MARKETING_PAUSE_FROM, evaluatePolicy, type PolicyFacts } from './policy.js';
import type { StoredTemplate } from './templates.js';
import { HOUR_MS, SERVICE_WINDOW_MS } from './window.js';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0); // 12:00 UTC = 17:30 in India
const IN_WA = '919812345678';
const US_WA = '12125551234';

const MARKETING: StoredTemplate = {
  name: 'spring_sale', language: 'en', category: 'MARKETING', status: 'APPROVED', parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hi {{1}}, our spring sale starts today with great prices for you.' }],
};
const UTILITY: StoredTemplate = { ...MARKETING, name: 'order_update', category: 'UTILITY' };
const PARAMS = { body: [{ type: 'text' as const, text: 'Ann' }] };

type Patch = { [K in keyof PolicyFacts]?: Partial<PolicyFacts[K]> };

/** Shallow-merge each fact group; `message` and null values replace instead of merging. */
function merge(base: PolicyFacts, patch: Patch): PolicyFacts {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const current = out[k];
    const mergeable = typeof current === 'object' && current !== null && typeof v === 'object' && v !== null && !('kind' in v);
    out[k] = mergeable ? { ...(current as object), ...(v as object) } : v;
  }
  return out as unknown as PolicyFacts;
}

function facts(patch: Patch = {}): PolicyFacts {
  return merge({
    now: NOW,
    inbox: { status: 'CONNECTED', qualityRating: 'GREEN' },
    contact: { waId: IN_WA, blocked: false, marketingOptOut: false },
    conversation: { lastInboundAt: NOW - HOUR_MS, entryPointExpiresAt: null },
    message: { kind: 'session' },
    limits: { messagingLimit: 'TIER_250', uniqueOutOfWindowRecipients24h: 0, contactAlreadyCounted: false },
    marketing: { deliveredToContactLast24h: 0, capPerDay: null, lastEcosystemFailureAt: null },
  }, patch);
}

const template = (t: StoredTemplate | null, params = PARAMS) => ({ message: { kind: 'template' as const, template: t, params } });
const closed = { conversation: { lastInboundAt: NOW - 2 * SERVICE_WINDOW_MS } };
const full = { limits: { uniqueOutOfWindowRecipients24h: 250 } };

describe('evaluatePolicy: each rule', () => {
  it.each<[string, Patch, string | null, number | undefined]>([
    // [label, facts patch, expected reason (null = allowed), retryAt]
    ['a session reply inside the window is allowed', {}, null, undefined],
    ['a template outside the window is allowed', { ...closed, ...template(UTILITY) }, null, undefined],

    ['inbox disconnected', { inbox: { status: 'DISCONNECTED' } }, 'inbox_not_connected', undefined],
    ['inbox pending', { inbox: { status: 'PENDING' } }, 'inbox_not_connected', undefined],
    ['inbox status in lower case is fine', { inbox: { status: 'connected' } }, null, undefined],

    ['blocked contact', { contact: { blocked: true } }, 'contact_blocked', undefined],

    ['opted-out contact, marketing template', { contact: { marketingOptOut: true }, ...template(MARKETING) }, 'marketing_opt_out', undefined],
    ['opted-out contact, utility template', { contact: { marketingOptOut: true }, ...template(UTILITY) }, null, undefined],
    ['opted-out contact, session reply', { contact: { marketingOptOut: true } }, null, undefined],

    ['session exactly 24 h after the last inbound', { conversation: { lastInboundAt: NOW - SERVICE_WINDOW_MS } }, 'outside_service_window', undefined],
    ['session 24 h − 1 ms after the last inbound', { conversation: { lastInboundAt: NOW - SERVICE_WINDOW_MS + 1 } }, null, undefined],
    ['session 24 h + 1 ms after the last inbound', { conversation: { lastInboundAt: NOW - SERVICE_WINDOW_MS - 1 } }, 'outside_service_window', undefined],
    ['session to a customer who never wrote', { conversation: { lastInboundAt: null } }, 'outside_service_window', undefined],
    ['session inside an FEP but outside the CSW', { conversation: { lastInboundAt: NOW - 2 * SERVICE_WINDOW_MS, entryPointExpiresAt: NOW + HOUR_MS } }, 'outside_service_window', undefined],

    ['unknown template', template(null), 'template_not_found', undefined],
    ['pending template', template({ ...UTILITY, status: 'PENDING' }), 'template_not_approved', undefined],
    ['rejected template', template({ ...UTILITY, status: 'REJECTED' }), 'template_not_approved', undefined],
    ['disabled template', template({ ...UTILITY, status: 'DISABLED' }), 'template_not_approved', undefined],

    ['paused template with a known end', template({ ...UTILITY, status: 'PAUSED', pausedUntil: NOW + 3 * HOUR_MS }), 'template_paused', NOW + 3 * HOUR_MS],
    ['paused template, end unknown', template({ ...UTILITY, status: 'PAUSED' }), 'template_paused', undefined],
    ['paused template whose end has passed (awaiting sync)', template({ ...UTILITY, status: 'PAUSED', pausedUntil: NOW - 1 }), 'template_paused', undefined],

    ['too few parameters', template(UTILITY, { body: [] }), 'template_params_mismatch', undefined],
    ['too many parameters', template(UTILITY, { body: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }), 'template_params_mismatch', undefined],

    ['limit full, new recipient outside the window', { ...closed, ...template(UTILITY), ...full, limits: { uniqueOutOfWindowRecipients24h: 250, oldestCountedAt: NOW - 20 * HOUR_MS } }, 'messaging_limit_reached', NOW + 4 * HOUR_MS],
    ['limit full, oldest unknown', { ...closed, ...template(UTILITY), ...full }, 'messaging_limit_reached', undefined],
    ['limit full, contact already counted', { ...closed, ...template(UTILITY), limits: { uniqueOutOfWindowRecipients24h: 250, contactAlreadyCounted: true } }, null, undefined],
    ['limit full, template inside the window', { ...template(UTILITY), ...full }, null, undefined],
    ['limit 249 of 250', { ...closed, ...template(UTILITY), limits: { uniqueOutOfWindowRecipients24h: 249 } }, null, undefined],
    ['unlimited tier', { ...closed, ...template(UTILITY), limits: { messagingLimit: 'TIER_UNLIMITED', uniqueOutOfWindowRecipients24h: 10 ** 6 } }, null, undefined],

    ['marketing to a US number', { contact: { waId: US_WA }, ...template(MARKETING) }, 'marketing_us_paused', undefined],
    ['marketing to a US number given as country', { contact: { country: 'US' }, ...template(MARKETING) }, 'marketing_us_paused', undefined],
    ['marketing to a US number before 2025-04-01', { now: US_MARKETING_PAUSE_FROM - 1, conversation: { lastInboundAt: US_MARKETING_PAUSE_FROM - HOUR_MS }, contact: { waId: US_WA }, ...template(MARKETING) }, null, undefined],
    ['utility to a US number', { contact: { waId: US_WA }, ...template(UTILITY) }, null, undefined],
    ['marketing to a Canadian number', { contact: { waId: '14165551234' }, ...template(MARKETING) }, null, undefined],

    ['marketing cap reached outside the window', { ...closed, ...template(MARKETING), marketing: { capPerDay: 2, deliveredToContactLast24h: 2, oldestDeliveredAt: NOW - 10 * HOUR_MS } }, 'marketing_cap_reached', NOW + 14 * HOUR_MS],
    ['marketing cap reached, oldest unknown', { ...closed, ...template(MARKETING), marketing: { capPerDay: 1, deliveredToContactLast24h: 3 } }, 'marketing_cap_reached', undefined],
    ['marketing cap not yet reached', { ...closed, ...template(MARKETING), marketing: { capPerDay: 2, deliveredToContactLast24h: 1 } }, null, undefined],
    ['marketing cap reached but inside the customer window', { ...template(MARKETING), marketing: { capPerDay: 1, deliveredToContactLast24h: 5 } }, null, undefined],
    ['no cap configured', { ...closed, ...template(MARKETING), marketing: { deliveredToContactLast24h: 50 } }, null, undefined],
    ['cap does not apply to utility', { ...closed, ...template(UTILITY), marketing: { capPerDay: 1, deliveredToContactLast24h: 5 } }, null, undefined],

    ['131049 one hour ago', { ...template(MARKETING), marketing: { lastEcosystemFailureAt: NOW - HOUR_MS } }, 'marketing_retry_too_soon', NOW + 23 * HOUR_MS],
    ['131049 24 h − 1 ms ago', { ...template(MARKETING), marketing: { lastEcosystemFailureAt: NOW - SERVICE_WINDOW_MS + 1 } }, 'marketing_retry_too_soon', NOW + 1],
    ['131049 exactly 24 h ago', { ...template(MARKETING), marketing: { lastEcosystemFailureAt: NOW - SERVICE_WINDOW_MS } }, null, undefined],
    ['131049 recently, utility template', { ...template(UTILITY), marketing: { lastEcosystemFailureAt: NOW - HOUR_MS } }, null, undefined],

    ['quiet hours in the contact\'s country (marketing)', { ...template(MARKETING), quietHours: { IN: { timeZone: 'Asia/Kolkata', start: '17:00', end: '09:00' } } }, 'quiet_hours', Date.UTC(2026, 2, 11, 3, 30)],
    ['quiet hours do not hold utility by default', { ...template(UTILITY), quietHours: { IN: { timeZone: 'Asia/Kolkata', start: '17:00', end: '09:00' } } }, null, undefined],
    ['quiet hours for all templates hold utility', { ...template(UTILITY), quietHours: { IN: { timeZone: 'Asia/Kolkata', start: '17:00', end: '09:00', appliesTo: 'templates' } } }, 'quiet_hours', Date.UTC(2026, 2, 11, 3, 30)],
    ['quiet hours outside the period', { ...template(MARKETING), quietHours: { IN: { timeZone: 'Asia/Kolkata', start: '21:00', end: '09:00' } } }, null, undefined],
    ['quiet hours for another country', { ...template(MARKETING), quietHours: { BR: { timeZone: 'America/Sao_Paulo', start: '00:00', end: '23:59' } } }, null, undefined],
  ])('%s', (_label, patch, reason, retryAt) => {
    const decision = evaluatePolicy(facts(patch));
    if (reason === null) {
      expect(decision).toEqual({ allow: true, rules: POLICY_RULES.map((r) => r.name) });
      return;
    }
    expect(decision.allow).toBe(false);
    if (decision.allow) return;
    expect(decision.reason).toBe(reason);
    expect(decision.retryAt).toBe(retryAt);
    expect(decision.message.length).toBeGreaterThan(10);
    expect(decision.rules.at(-1)).toBe(decision.rule);
  });
});

describe('evaluatePolicy: order', () => {
  it('checks the rules in this exact order', () => {
    expect(POLICY_RULES.map((r) => r.name)).toEqual([
      'inbox_connected', 'contact_not_blocked', 'marketing_opt_in', 'service_window', 'template_exists', 'template_approved',
      'template_active', 'template_params', 'messaging_limit', 'marketing_us', 'marketing_cap', 'marketing_retry', 'quiet_hours',
    ]);
  });

  it('the first failing rule wins: peel failures off one by one', () => {
    // Every marketing-related fact fails at once; fix each in turn and the next reason shows.
    const paused: StoredTemplate = { ...MARKETING, status: 'PAUSED', pausedUntil: NOW + HOUR_MS };
    const steps: Array<[Patch, string]> = [
      [{}, 'inbox_not_connected'],
      [{ inbox: { status: 'CONNECTED' } }, 'contact_blocked'],
      [{ contact: { blocked: false, marketingOptOut: true, waId: US_WA } }, 'marketing_opt_out'],
      [{ contact: { blocked: false, marketingOptOut: false, waId: US_WA } }, 'template_paused'],
      [{ ...template({ ...MARKETING, status: 'APPROVED' }, { body: [] }) }, 'template_params_mismatch'],
      [{ ...template(MARKETING) }, 'messaging_limit_reached'],
      [{ limits: { uniqueOutOfWindowRecipients24h: 0 } }, 'marketing_us_paused'],
      [{ contact: { blocked: false, marketingOptOut: false, waId: IN_WA } }, 'marketing_cap_reached'],
      [{ marketing: { capPerDay: null, deliveredToContactLast24h: 9, lastEcosystemFailureAt: NOW - HOUR_MS } }, 'marketing_retry_too_soon'],
      [{ marketing: { deliveredToContactLast24h: 9, lastEcosystemFailureAt: null } }, 'quiet_hours'],
      [{ quietHours: null }, 'allow'],
    ];
    let current = facts({
      inbox: { status: 'DISCONNECTED' }, contact: { blocked: true, marketingOptOut: true, waId: US_WA },
      ...closed, ...template(paused, { body: [] }), ...full,
      marketing: { capPerDay: 1, deliveredToContactLast24h: 9, lastEcosystemFailureAt: NOW - HOUR_MS },
      quietHours: { IN: { timeZone: 'Asia/Kolkata', start: '17:00', end: '09:00' } },
    });
    for (const [patch, expected] of steps) {
      current = merge(current, patch);
      const d = evaluatePolicy(current);
      expect(d.allow ? 'allow' : d.reason).toBe(expected);
    }
  });

  it.each([
    ['never wrote', null, 'the customer has not written to this number yet, so no service window is open; send an approved template'],
    ['wrote 48 h ago', NOW - 2 * SERVICE_WINDOW_MS, 'more than 24 hours have passed since the customer last wrote; send an approved template'],
    ['wrote exactly 24 h ago', NOW - SERVICE_WINDOW_MS, 'more than 24 hours have passed since the customer last wrote; send an approved template'],
  ])('outside the window, a customer who %s is told why', (_what, lastInboundAt, message) => {
    const d = evaluatePolicy(facts({ conversation: { lastInboundAt } }));
    expect(d).toMatchObject({ allow: false, reason: 'outside_service_window', message });
  });

  it('a session message outside the window is refused before any template check runs', () => {
    const d = evaluatePolicy(facts({ ...closed }));
    expect(d).toMatchObject({ allow: false, reason: 'outside_service_window', rule: 'service_window', rules: ['inbox_connected', 'contact_not_blocked', 'marketing_opt_in', 'service_window'] });
    expect(d.allow === false && d.retryAt).toBe(undefined);
  });

  it('accepts a custom rule list', () => {
    const d = evaluatePolicy(facts({ contact: { blocked: true } }), POLICY_RULES.filter((r) => r.name !== 'contact_not_blocked'));
    expect(d.allow).toBe(true);
  });
});
