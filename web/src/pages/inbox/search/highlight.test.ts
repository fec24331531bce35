// highlightParts: word-prefix matches in any script, case-insensitive, the rest left as plain text.

import { describe, expect, it } from 'vitest';
import { highlightParts } from './highlight.js';

const hits = (text: string, terms: string[]) => highlightParts(text, terms).filter((p) => p.hit).map((p) => p.text);

describe('highlightParts', () => {
  it('marks a Cyrillic prefix case-insensitively and keeps the text whole', () => {
    const parts = highlightParts('Где мой Заказ? заказчик', ['зак']);
    expect(parts.map((p) => p.text).join('')).toBe('Где мой Заказ? заказчик');
    expect(hits('Где мой Заказ? заказчик', ['зак'])).toEqual(['Зак', 'зак']);
  });
  it('only matches at the start of a word', () => {
    expect(hits('backorder order', ['order'])).toEqual(['order']);
  });
  it('prefers the longest term and handles several', () => {
    expect(hits('order 1042 ordered', ['ord', 'ordered', '1042'])).toEqual(['ord', '1042', 'ordered']);
  });
  it('leaves markup as text (it is only ever rendered as text)', () => {
    const parts = highlightParts('<img src=x onerror=alert(1)>', ['img']);
    expect(parts).toEqual([{ text: '<', hit: false }, { text: 'img', hit: true }, { text: ' src=x onerror=alert(1)>', hit: false }]);
  });
  it('returns the text as one plain part without terms or matches', () => {
    expect(highlightParts('hello', [])).toEqual([{ text: 'hello', hit: false }]);
    expect(highlightParts('hello', ['x'])).toEqual([{ text: 'hello', hit: false }]);
    expect(highlightParts('', ['x'])).toEqual([]);
  });
});
