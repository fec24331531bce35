import { describe, expect, it } from 'vitest';
import { placeholderRows, powerOfTwoChunks } from './raw-sql.js';

describe('raw SQL helpers', () => {
  it('splits a batch into power-of-two chunks, in order, losing nothing', () => {
    const items = Array.from({ length: 300 }, (_, i) => i);
    const chunks = powerOfTwoChunks(items);
    expect(chunks.map((c) => c.length)).toEqual([256, 32, 8, 4]);
    expect(chunks.flat()).toEqual(items);
    expect(powerOfTwoChunks([])).toEqual([]);
    expect(powerOfTwoChunks(['a'])).toEqual([['a']]);
  });

  it('repeats a tuple of placeholders', () => {
    expect(placeholderRows(3, '(?, ?)')).toBe('(?, ?), (?, ?), (?, ?)');
  });
});
