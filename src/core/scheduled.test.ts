import { describe, expect, it } from 'vitest';
import { SCHEDULE_MAX_AHEAD_MS, SCHEDULE_MIN_AHEAD_MS, scheduleProblem } from './scheduled.js';
import { SERVICE_WINDOW_MS } from './window.js';

const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);

describe('scheduleProblem', () => {
  const text = (sendAt: number, lastInboundAt: number | null = NOW - 1000) => scheduleProblem({ contentType: 'text', sendAt, lastInboundAt }, NOW);

  it('allows a text at least a minute ahead, inside the window as it stands', () => {
    expect(text(NOW + SCHEDULE_MIN_AHEAD_MS)).toBeNull();
    expect(text(NOW + 3 * 3600_000)).toBeNull();
  });

  it('refuses a time too soon, in the past, too far or not a number, naming the range', () => {
    for (const sendAt of [NOW + SCHEDULE_MIN_AHEAD_MS - 1, NOW - 1, NOW + SCHEDULE_MAX_AHEAD_MS + 1, Number.NaN]) {
      expect(text(sendAt)).toEqual({ kind: 'time_invalid', earliest: NOW + SCHEDULE_MIN_AHEAD_MS, latest: NOW + SCHEDULE_MAX_AHEAD_MS });
    }
  });

  it('refuses a free-form message at or after the moment the window closes, or with no window at all', () => {
    const last = NOW - 20 * 3600_000;
    const closes = last + SERVICE_WINDOW_MS;
    expect(text(closes - 1, last)).toBeNull();
    expect(text(closes, last)).toEqual({ kind: 'after_window', windowClosesAt: closes });
    expect(text(NOW + 5 * 3600_000, null)).toEqual({ kind: 'after_window', windowClosesAt: null });
  });

  it('lets a template go at any allowed time, window or not', () => {
    expect(scheduleProblem({ contentType: 'template', sendAt: NOW + 10 * 24 * 3600_000, lastInboundAt: null }, NOW)).toBeNull();
    expect(scheduleProblem({ contentType: 'template', sendAt: NOW + 1000, lastInboundAt: null }, NOW)?.kind).toBe('time_invalid');
  });
});
