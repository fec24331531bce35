// The service window countdown and day separators, with the clock as an argument.
import { describe, expect, it } from 'vitest';
import { dayLabel, windowState, withDaySeparators } from './conversation-time.js';

const H = 3_600_000;
const M = 60_000;

describe('windowState', () => {
  const now = Date.UTC(2025, 5, 1, 12);
  it.each([
    [null, { open: false }],
    [now, { open: false }],
    [now - 1, { open: false }],
    [now + 24 * H, { open: true, hours: 24, minutes: 0, msLeft: 24 * H }],
    [now + 23 * H + 12 * M, { open: true, hours: 23, minutes: 12, msLeft: 23 * H + 12 * M }],
    [now + 23 * H + 11 * M + 1, { open: true, hours: 23, minutes: 12, msLeft: 23 * H + 11 * M + 1 }],
    [now + 1, { open: true, hours: 0, minutes: 1, msLeft: 1 }],
  ])('expires %s', (expires, state) => {
    expect(windowState(expires, now)).toEqual(state);
  });
});

describe('days', () => {
  const noon = new Date(2025, 5, 10, 12).getTime();
  it('labels today, yesterday and older dates', () => {
    expect(dayLabel(new Date(2025, 5, 10, 0, 1).getTime(), noon)).toEqual({ kind: 'today' });
    expect(dayLabel(new Date(2025, 5, 9, 23, 59).getTime(), noon)).toEqual({ kind: 'yesterday' });
    const old = new Date(2025, 5, 8, 23, 59).getTime();
    expect(dayLabel(old, noon)).toEqual({ kind: 'date', ms: old });
  });

  it('puts a separator before the first message of each day', () => {
    const a = { createdAt: new Date(2025, 5, 9, 10).getTime() };
    const b = { createdAt: new Date(2025, 5, 9, 11).getTime() };
    const c = { createdAt: new Date(2025, 5, 10, 9).getTime() };
    const items = withDaySeparators([a, b, c]);
    expect(items.map((i) => ('day' in i ? i.day : 'm'))).toEqual(['2025-06-09', 'm', 'm', '2025-06-10', 'm']);
  });
});
