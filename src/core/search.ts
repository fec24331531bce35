// Full-text search terms, the pure part: what a person typed → at most MAX_TERMS words of letters and
// digits (any script), each matched as a prefix, all required. The store turns them into SQLite FTS5
// or PostgreSQL tsquery syntax; nothing the person typed reaches either syntax unquoted.

export const MAX_TERMS = 8;
export const MAX_TERM_LENGTH = 64;

/** Lower-cased words of letters and digits; punctuation and operators are separators, never syntax. */
export function searchTerms(query: string): string[] {
  const words = query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words.map((w) => Array.from(w).slice(0, MAX_TERM_LENGTH).join('')))];
  return unique.slice(0, MAX_TERMS);
}

/** FTS5 MATCH text: each term a quoted prefix, implicitly ANDed ("заказ"* "1042"*). */
export function ftsMatch(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' ');
}

/** PostgreSQL to_tsquery('simple', …) text: prefixes ANDed (заказ:* & 1042:*). Terms hold only letters and digits. */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((t) => `${t}:*`).join(' & ');
}
