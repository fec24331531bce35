import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('ids', () => {
  it('made for the same millisecond, sort in the order they were made', () => {
    const now = Date.UTC(2026, 11, 4, 12, 0, 0, 123);
    const ids = Array.from({ length: 500 }, () => newId('msg', now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
    expect(ids.every((id) => /^msg_[0-9a-hjkmnp-tv-z]{26}$/.test(id))).toBe(true);
  });

  it('sort by time across milliseconds, and start afresh (random) in a new one', () => {
    const a = newId('msg', 1_000);
    const b = newId('msg', 2_000);
    const c = newId('msg', 2_000);
    expect([a, b, c].sort()).toEqual([a, b, c]);
    const d = newId('msg', 3_000);
    const e = newId('msg', 4_000);
    expect(d.slice(14)).not.toBe(e.slice(14));
  });
});
