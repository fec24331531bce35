import { describe, expect, it } from 'vitest';
import {
  checkMessagingLimit, consumesNewSlot, countWindow, nextTier, parseLimitTier, remainingBudget, tierLabel, tierLimit,
  type LimitTier,
} from './limits.js';
import { HOUR_MS, SERVICE_WINDOW_MS } from './window.js';

const NOW = Date.UTC(2026, 2, 1, 12);

describe('tiers', () => {
  it.each([
    ['TIER_250', 250, '250', 'TIER_2K'],
    ['TIER_2K', 2000, '2K', 'TIER_10K'],
    ['TIER_10K', 10_000, '10K', 'TIER_100K'],
    ['TIER_100K', 100_000, '100K', 'TIER_UNLIMITED'],
    ['TIER_UNLIMITED', Number.POSITIVE_INFINITY, 'Unlimited', null],
    ['TIER_1K', 1000, '1K', 'TIER_2K'],
    ['TIER_50', 50, '50', 'TIER_250'],
  ] as const)('%s: limit %s, label %s, next %s', (tier, limit, label, next) => {
    expect(tierLimit(tier)).toBe(limit);
    expect(tierLabel(tier)).toBe(label);
    expect(nextTier(tier)).toBe(next);
  });

  it.each([
    ['TIER_2K', 'TIER_2K'], ['tier_10k', 'TIER_10K'], [250, 'TIER_250'], [2000, 'TIER_2K'], ['100000', 'TIER_100K'],
    [-1, 'TIER_UNLIMITED'], ['-1', 'TIER_UNLIMITED'], ['UNLIMITED', 'TIER_UNLIMITED'], [1000, 'TIER_1K'],
    [1234, null], ['TIER_7', null], ['abc', null], [null, null], [undefined, null], [Number.NaN, null], [{}, null],
  ])('parseLimitTier(%j) = %s', (value, tier) => {
    expect(parseLimitTier(value)).toBe(tier);
  });
});

describe('slots and budget', () => {
  it.each([
    [false, false, true],
    [false, true, false],
    [true, false, false],
    [true, true, false],
  ])('window open=%s, already counted=%s → consumes=%s', (serviceWindowOpen, contactAlreadyCounted, consumes) => {
    expect(consumesNewSlot({ serviceWindowOpen, contactAlreadyCounted })).toBe(consumes);
  });

  it.each([
    ['TIER_250', 0, 250], ['TIER_250', 249, 1], ['TIER_250', 250, 0], ['TIER_250', 300, 0],
    ['TIER_2K', 1999, 1], ['TIER_UNLIMITED', 5_000_000, Number.POSITIVE_INFINITY], ['TIER_250', -5, 250],
  ] as const)('%s with %i used → %s left', (tier, used, left) => {
    expect(remainingBudget(tier as LimitTier, used)).toBe(left);
  });
});

describe('countWindow (moving 24 h)', () => {
  it('counts unique recipients and ignores deliveries at or before now − 24 h', () => {
    const deliveries = [
      { waId: 'a', at: NOW - SERVICE_WINDOW_MS }, // exactly 24 h ago: out
      { waId: 'b', at: NOW - SERVICE_WINDOW_MS + 1 }, // 24 h − 1 ms ago: in
      { waId: 'c', at: NOW - HOUR_MS },
      { waId: 'c', at: NOW - 2 * HOUR_MS },
      { waId: 'd', at: NOW + 1 }, // future: ignored
    ];
    const result = countWindow(deliveries, NOW);
    expect(result.unique).toBe(2);
    expect([...result.counted].sort()).toEqual(['b', 'c']);
    expect(result.oldestAt).toBe(NOW - SERVICE_WINDOW_MS + 1);
    expect(result.nextSlotFreesAt).toBe(NOW + 1);
  });

  it('a recipient messaged twice holds the slot from the latest message', () => {
    const result = countWindow([{ waId: 'a', at: NOW - 20 * HOUR_MS }, { waId: 'a', at: NOW - HOUR_MS }], NOW);
    expect(result.unique).toBe(1);
    expect(result.oldestAt).toBe(NOW - HOUR_MS);
  });

  it('empty → nothing counted', () => {
    expect(countWindow([], NOW)).toEqual({ unique: 0, oldestAt: null, nextSlotFreesAt: null, counted: new Set() });
  });
});

describe('checkMessagingLimit', () => {
  const base = { tier: 'TIER_250' as LimitTier, uniqueRecipients24h: 250, serviceWindowOpen: false, contactAlreadyCounted: false };
  it.each([
    ['full, new recipient out of window → refused with retryAt', { oldestCountedAt: NOW - HOUR_MS }, { ok: false, retryAt: NOW - HOUR_MS + SERVICE_WINDOW_MS }],
    ['full, oldest unknown → refused without retryAt', {}, { ok: false }],
    ['full but inside the CSW → ok', { serviceWindowOpen: true }, { ok: true }],
    ['full but contact already counted → ok', { contactAlreadyCounted: true }, { ok: true }],
    ['one slot left → ok', { uniqueRecipients24h: 249 }, { ok: true }],
    ['unlimited → ok', { tier: 'TIER_UNLIMITED' as LimitTier, uniqueRecipients24h: 10 ** 7 }, { ok: true }],
  ])('%s', (_label, partial, expected) => {
    expect(checkMessagingLimit({ ...base, ...partial })).toEqual(expected);
  });
});
