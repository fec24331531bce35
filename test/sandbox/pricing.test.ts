// Recipient markets from calling codes, the rate card, and per-message pricing by window, free entry
// point and date (PMP from 2025-07-01; paid service messages from 2026-10-01).

import { afterEach, describe, expect, it } from 'vitest';
import { isUsRecipient, marketingCapApplies, marketOf } from '../../src/sandbox/markets.js';
import { priceMessage, RATE_CARD_USD, type PricingFacts } from '../../src/sandbox/pricing.js';
import { DAY, HOUR, PHONE_ID, RU, startSandbox, storedOf, template, text, type Harness } from './send-harness.js';

const JUNE_2026 = Date.UTC(2026, 5, 1);
const NOV_2026 = Date.UTC(2026, 10, 1);
const OCT_2026 = Date.UTC(2026, 9, 1);

describe('markets', () => {
  it.each([
    ['79161234567', JUNE_2026, 'RU', 'russia'],
    ['77011234567', JUNE_2026, 'KZ', 'russia'],
    ['77011234567', NOV_2026, 'KZ', 'kazakhstan'],
    ['14155550123', JUNE_2026, 'US', 'north_america'],
    ['14165550123', JUNE_2026, 'CA', 'north_america'],
    ['18095551234', JUNE_2026, 'DO', 'rest_of_latin_america'],
    ['18765551234', JUNE_2026, 'JM', 'rest_of_latin_america'],
    ['17875551234', JUNE_2026, 'PR', 'rest_of_latin_america'],
    ['447911123456', JUNE_2026, 'GB', 'united_kingdom'],
    ['5511987654321', JUNE_2026, 'BR', 'brazil'],
    ['919876543210', JUNE_2026, 'IN', 'india'],
    ['4915112345678', JUNE_2026, 'DE', 'germany'],
    ['48501234567', JUNE_2026, 'PL', 'rest_of_central_eastern_europe'],
    ['380501234567', JUNE_2026, 'UA', 'rest_of_central_eastern_europe'],
    ['380501234567', NOV_2026, 'UA', 'ukraine'],
    ['9647501234567', JUNE_2026, 'IQ', 'rest_of_middle_east'],
    ['9647501234567', NOV_2026, 'IQ', 'iraq'],
    ['61412345678', JUNE_2026, 'AU', 'rest_of_asia_pacific'],
    ['81901234567', JUNE_2026, 'JP', 'rest_of_asia_pacific'],
    ['263771234567', Date.UTC(2025, 8, 30), 'ZW', 'other'],
    ['263771234567', OCT_2026, 'ZW', 'rest_of_africa'],
    ['971501234567', JUNE_2026, 'AE', 'uae'],
    ['2348031234567', JUNE_2026, 'NG', 'nigeria'],
    ['35312345678', JUNE_2026, 'IE', 'rest_of_western_europe'],
    ['35212345678', JUNE_2026, 'LU', 'other'],
    ['99912345678', JUNE_2026, '', 'other'],
  ])('%s on %s is %s / %s', (waId, at, country, market) => {
    expect(marketOf(waId, at)).toEqual({ country, market });
  });

  it('knows where the per-user marketing cap and the US marketing pause apply', () => {
    expect(['GB', 'JP', 'KR', 'FR', 'DE', 'NO', 'LU'].map(marketingCapApplies)).toEqual(Array(7).fill(false));
    expect(['RU', 'US', 'BR', 'IN', 'CA'].map(marketingCapApplies)).toEqual(Array(5).fill(true));
    expect(isUsRecipient('14155550123')).toBe(true);
    expect(isUsRecipient('14165550123')).toBe(false);
    expect(isUsRecipient('18095551234')).toBe(false);
    expect(isUsRecipient('79161234567')).toBe(false);
  });

  it('has a rate for every market', () => {
    for (const rates of Object.values(RATE_CARD_USD)) {
      expect(rates.marketing).toBeGreaterThan(0);
      expect(rates.utility).toBeGreaterThan(0);
    }
  });
});

describe('priceMessage', () => {
  const facts = (f: Partial<PricingFacts>): PricingFacts => ({ at: JUNE_2026, to: RU, inServiceWindow: false, inFreeEntryPoint: false, ...f });

  it.each([
    ['marketing, Russia', facts({ templateCategory: 'MARKETING' }), 'marketing', 'regular', 0.0802],
    ['marketing inside the window is still charged', facts({ templateCategory: 'MARKETING', inServiceWindow: true }), 'marketing', 'regular', 0.0802],
    ['utility outside the window', facts({ templateCategory: 'UTILITY' }), 'utility', 'regular', 0.04],
    ['utility inside the window', facts({ templateCategory: 'UTILITY', inServiceWindow: true }), 'utility', 'free_customer_service', 0],
    ['authentication inside the window', facts({ templateCategory: 'AUTHENTICATION', inServiceWindow: true }), 'authentication', 'regular', 0.04],
    ['service inside the window', facts({ inServiceWindow: true }), 'service', 'free_customer_service', 0],
    ['marketing inside a free entry point', facts({ templateCategory: 'MARKETING', inFreeEntryPoint: true }), 'marketing', 'free_entry_point', 0],
    ['marketing, Brazil', facts({ to: '5511987654321', templateCategory: 'MARKETING' }), 'marketing', 'regular', 0.0625],
    ['utility, US', facts({ to: '14155550123', templateCategory: 'UTILITY' }), 'utility', 'regular', 0.0034],
    ['authentication, India', facts({ to: '919876543210', templateCategory: 'AUTHENTICATION' }), 'authentication', 'regular', 0.0014],
    ['marketing, Jamaica (NANP island)', facts({ to: '18765551234', templateCategory: 'MARKETING' }), 'marketing', 'regular', 0.074],
    ['last ms before Oct 2026: service free', facts({ at: OCT_2026 - 1, inServiceWindow: true }), 'service', 'free_customer_service', 0],
    ['from Oct 2026: service at the utility rate', facts({ at: OCT_2026, inServiceWindow: true }), 'service', 'regular', 0.04],
    ['from Oct 2026: utility in the window charged', facts({ at: NOV_2026, templateCategory: 'UTILITY', inServiceWindow: true }), 'utility', 'regular', 0.04],
    ['from Oct 2026: the free entry point stays free', facts({ at: NOV_2026, inServiceWindow: true, inFreeEntryPoint: true }), 'service', 'free_entry_point', 0],
  ] as const)('%s', (_name, f, category, type, price) => {
    const p = priceMessage(f);
    expect({ category: p.category, type: p.type, priceUsd: p.priceUsd, billable: p.billable })
      .toEqual({ category, type, priceUsd: price, billable: type === 'regular' });
  });
});

describe('pricing of sent messages', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('charges utility outside the window and not inside it', async () => {
    h = await startSandbox();
    const outside = storedOf(h, await h.send(template(RU, 'hello_world')));
    expect([outside.pricingType, outside.billable, outside.priceUsd]).toEqual(['regular', true, 0.04]);
    h.lastInbound(RU, HOUR);
    const inside = storedOf(h, await h.send(template(RU, 'hello_world')));
    expect([inside.pricingType, inside.category, inside.billable]).toEqual(['free_customer_service', 'utility', false]);
  });

  it('charges service messages from 2026-10-01', async () => {
    h = await startSandbox({ at: NOV_2026 });
    h.lastInbound(RU, HOUR);
    const msg = storedOf(h, await h.send(text(RU)));
    expect([msg.category, msg.pricingType, msg.billable, msg.priceUsd]).toEqual(['service', 'regular', true, 0.04]);
  });

  it('opens a 72 h free entry point with a reply within 24 h of a click-to-WhatsApp referral', async () => {
    h = await startSandbox();
    const customer = h.ctx.state.customers.get(RU)!;
    customer.persona = 'silent'; // never replies, so no new window opens while time passes
    customer.entryPoint.set(PHONE_ID, { referralAt: h.clock.now() - 23 * HOUR });
    h.lastInbound(RU, 23 * HOUR);
    const reply = storedOf(h, await h.send(text(RU)));
    expect(reply.pricingType).toBe('free_entry_point');
    expect(reply.fepConversationId).toBeDefined();
    expect(customer.entryPoint.get(PHONE_ID)!.fepUntil).toBe(h.clock.now() + 72 * HOUR);
    h.clock.advance(48 * HOUR); // window closed, FEP still open: templates are free
    const later = storedOf(h, await h.send(template(RU, 'hello_world')));
    expect([later.pricingType, later.billable, later.fepConversationId]).toEqual(['free_entry_point', false, reply.fepConversationId]);
    h.clock.advance(24 * HOUR); // exactly 72 h after the reply: closed
    const after = storedOf(h, await h.send(template(RU, 'hello_world')));
    expect([after.pricingType, after.billable, after.fepConversationId]).toEqual(['regular', true, undefined]);
  });

  it('opens no free entry point when the business replies more than 24 h after the referral', async () => {
    h = await startSandbox();
    const customer = h.ctx.state.customers.get(RU)!;
    customer.entryPoint.set(PHONE_ID, { referralAt: h.clock.now() - DAY - 1000 });
    h.lastInbound(RU, HOUR);
    const reply = storedOf(h, await h.send(text(RU)));
    expect(reply.pricingType).toBe('free_customer_service');
    expect(customer.entryPoint.get(PHONE_ID)!.fepUntil).toBeUndefined();
  });
});
