import { describe, expect, it } from 'vitest';
import { EMOJI_GROUPS, QUICK_REACTIONS, insertAt } from './emoji.js';

describe('emoji', () => {
  it('inserts at the caret, replacing a selection', () => {
    expect(insertAt('Hello world', 5, 5, '👋')).toEqual({ text: 'Hello👋 world', caret: 7 });
    expect(insertAt('Hello world', 6, 11, '🙂')).toEqual({ text: 'Hello 🙂', caret: 8 });
    expect(insertAt('', 3, 9, '✅')).toEqual({ text: '✅', caret: 1 });
  });
  it('has six quick reactions and no duplicates within a group', () => {
    expect(QUICK_REACTIONS).toHaveLength(6);
    for (const g of EMOJI_GROUPS) expect(new Set(g.emoji).size).toBe(g.emoji.length);
  });
});
