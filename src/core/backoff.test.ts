import { describe, expect, it } from 'vitest';
import { backoffMs, pairRateRetryMs } from './backoff.js';

describe('backoffMs', () => {
  it.each([
    // attempt, base, max, random, expected
    [1, 1000, 60_000, 0, 500],
    [1, 1000, 60_000, 1, 1000],
    [2, 1000, 60_000, 0, 1000],
    [3, 1000, 60_000, 0.5, 3000],
    [10, 1000, 60_000, 1, 60_000],
    [10, 1000, 60_000, 0, 30_000],
    [0, 1000, 60_000, 1, 1000],
  ])('attempt %i base %i max %i random %f → %i ms', (attempt, base, max, random, expected) => {
    expect(backoffMs(attempt, base, max, random)).toBe(expected);
  });

  it('never exceeds the maximum and grows with attempts', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffMs(a, 1000, 20_000, 1));
    expect(Math.max(...delays)).toBe(20_000);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
  });
});

describe('pairRateRetryMs', () => {
  it.each([[0, 1000], [1, 4000], [2, 16_000], [3, 64_000], [6, 4096_000], [9, 4096_000]])('attempt %i → %i ms', (attempt, ms) => {
    expect(pairRateRetryMs(attempt)).toBe(ms);
  });
});
