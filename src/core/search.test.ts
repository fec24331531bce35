import { describe, expect, it } from 'vitest';
import { ftsMatch, MAX_TERMS, searchTerms, tsQuery } from './search.js';

describe('searchTerms', () => {
  it.each<[string, string[]]>([
    ['Заказ 1042', ['заказ', '1042']],
    ['  ЁЛКА   ёлка ', ['ёлка']],
    ['order" OR 1=1 --', ['order', 'or', '1']],
    ['NEAR(a b) * ^x', ['near', 'a', 'b', 'x']],
    ['+44 7400-123', ['44', '7400', '123']],
    ['<img src=x onerror=alert(1)>', ['img', 'src', 'x', 'onerror', 'alert', '1']],
    ['', []],
    ['!!! ???', []],
  ])('%j → %j', (query, terms) => {
    expect(searchTerms(query)).toEqual(terms);
  });

  it('keeps at most MAX_TERMS words', () => {
    expect(searchTerms('a b c d e f g h i j k')).toHaveLength(MAX_TERMS);
  });
});

describe('query syntax', () => {
  it('quotes FTS5 terms, prefixes from three characters, whole words below', () => {
    expect(ftsMatch(['заказ', '1042', '42', 'ёж'])).toBe('"заказ"* "1042"* "42" "ёж"');
  });
  it('ANDs tsquery terms the same way', () => {
    expect(tsQuery(['заказ', '1042', '42'])).toBe('заказ:* & 1042:* & 42');
  });
});
