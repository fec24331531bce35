import { describe, expect, it } from 'vitest';
import {
  ENTRY_POINT_WINDOW_MS, HOUR_MS, SERVICE_WINDOW_MS, describeWindow, entryPointAfterReply,
  isEntryPointOpen, isEntryPointReferral, isWindowOpen, nextLastInboundAt, windowExpiresAt, windowRemainingMs,
} from './window.js';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

describe('service window', () => {
  it('expires 24 h after the last inbound message', () => {
    expect(windowExpiresAt(T0)).toBe(T0 + 24 * HOUR_MS);
    expect(windowExpiresAt(null)).toBeNull();
    expect(windowExpiresAt(undefined)).toBeNull();
    expect(windowExpiresAt(Number.NaN)).toBeNull();
  });

  it.each([
    ['at the inbound itself', 0, true],
    ['1 h later', HOUR_MS, true],
    ['24 h − 1 ms later', SERVICE_WINDOW_MS - 1, true],
    ['exactly 24 h later', SERVICE_WINDOW_MS, false],
    ['24 h + 1 ms later', SERVICE_WINDOW_MS + 1, false],
    ['3 days later', 72 * HOUR_MS, false],
  ])('is %s → open=%s', (_label, offset, open) => {
    expect(isWindowOpen(T0, T0 + offset)).toBe(open);
  });

  it('is closed when the customer never wrote', () => {
    expect(isWindowOpen(null, T0)).toBe(false);
    expect(windowRemainingMs(null, T0)).toBe(0);
  });

  it.each([
    [0, SERVICE_WINDOW_MS],
    [SERVICE_WINDOW_MS - 1, 1],
    [SERVICE_WINDOW_MS, 0],
    [SERVICE_WINDOW_MS + 1, 0],
  ])('remaining after %i ms is %i ms', (offset, remaining) => {
    expect(windowRemainingMs(T0, T0 + offset)).toBe(remaining);
  });
});

describe('nextLastInboundAt: only inbound extends the window', () => {
  it.each([
    ['first inbound opens it', null, 'inbound', T0, T0],
    ['a newer inbound extends it', T0, 'inbound', T0 + HOUR_MS, T0 + HOUR_MS],
    ['an older inbound (out of order) never shrinks it', T0 + HOUR_MS, 'inbound', T0, T0 + HOUR_MS],
    ['an outbound message never extends it', T0, 'outbound', T0 + HOUR_MS, T0],
    ['an outbound message never opens it', null, 'outbound', T0, null],
  ] as const)('%s', (_label, current, direction, at, expected) => {
    expect(nextLastInboundAt(current, { direction, at })).toBe(expected);
  });

  it('an inbound 23 h after the first keeps the window open for another 24 h', () => {
    const last = nextLastInboundAt(T0, { direction: 'inbound', at: T0 + 23 * HOUR_MS });
    expect(isWindowOpen(last, T0 + 30 * HOUR_MS)).toBe(true);
    expect(isWindowOpen(last, T0 + 47 * HOUR_MS)).toBe(false);
  });
});

describe('free entry point', () => {
  it.each([
    ['ad with ctwa_clid', { sourceType: 'ad', ctwaClid: 'ARAkLk' }, true],
    ['ad without ctwa_clid (Status ad)', { sourceType: 'ad' }, true],
    ['page post CTA', { sourceType: 'post' }, true],
    ['unknown source with ctwa_clid', { sourceType: 'other', ctwaClid: 'x' }, true],
    ['unknown source', { sourceType: 'other' }, false],
    ['no referral', null, false],
  ])('%s → %s', (_label, referral, expected) => {
    expect(isEntryPointReferral(referral)).toBe(expected);
  });

  it.each([
    ['reply at once opens 72 h from the reply', 0, T0 + ENTRY_POINT_WINDOW_MS],
    ['reply at 12 h opens 72 h from the reply', 12 * HOUR_MS, T0 + 12 * HOUR_MS + ENTRY_POINT_WINDOW_MS],
    ['reply at 24 h − 1 ms still opens it', 24 * HOUR_MS - 1, T0 + 24 * HOUR_MS - 1 + ENTRY_POINT_WINDOW_MS],
    ['reply at exactly 24 h is too late', 24 * HOUR_MS, null],
    ['reply at 24 h + 1 ms is too late', 24 * HOUR_MS + 1, null],
    ['reply before the inbound does not count', -1, null],
  ])('%s', (_label, replyOffset, expected) => {
    expect(entryPointAfterReply({ entryPointInboundAt: T0, currentExpiresAt: null, replyAt: T0 + replyOffset }))
      .toBe(expected);
  });

  it('a second reply inside an open FEP does not extend it', () => {
    const first = entryPointAfterReply({ entryPointInboundAt: T0, currentExpiresAt: null, replyAt: T0 + HOUR_MS });
    const second = entryPointAfterReply({ entryPointInboundAt: T0, currentExpiresAt: first, replyAt: T0 + 2 * HOUR_MS });
    expect(second).toBe(first);
  });

  it('no referral inbound → no FEP', () => {
    expect(entryPointAfterReply({ entryPointInboundAt: null, currentExpiresAt: null, replyAt: T0 })).toBeNull();
  });

  it('a new ad click after an expired FEP opens a new one on the next reply', () => {
    const oldExpiry = T0 + ENTRY_POINT_WINDOW_MS;
    const click = oldExpiry + HOUR_MS;
    expect(entryPointAfterReply({ entryPointInboundAt: click, currentExpiresAt: oldExpiry, replyAt: click + HOUR_MS }))
      .toBe(click + HOUR_MS + ENTRY_POINT_WINDOW_MS);
  });

  it.each([
    [ENTRY_POINT_WINDOW_MS - 1, true],
    [ENTRY_POINT_WINDOW_MS, false],
    [ENTRY_POINT_WINDOW_MS + 1, false],
  ])('FEP opened at T0 is open at +%i ms → %s', (offset, open) => {
    expect(isEntryPointOpen(T0 + ENTRY_POINT_WINDOW_MS, T0 + offset)).toBe(open);
  });

  it('FEP outlives the CSW: templates free, free-form not allowed (Meta example 10:00 / 22:00)', () => {
    const inbound = T0; // 10:00-like
    const reply = T0 + 12 * HOUR_MS; // 22:00-like
    const fep = entryPointAfterReply({ entryPointInboundAt: inbound, currentExpiresAt: null, replyAt: reply });
    const state = describeWindow({ lastInboundAt: inbound, entryPointExpiresAt: fep }, T0 + 30 * HOUR_MS);
    expect(state.serviceWindowOpen).toBe(false);
    expect(state.entryPointOpen).toBe(true);
    expect(state.entryPointExpiresAt).toBe(reply + ENTRY_POINT_WINDOW_MS);
    expect(state.serviceWindowExpiresAt).toBe(inbound + SERVICE_WINDOW_MS);
  });
});
