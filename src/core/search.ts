// Full-text search terms, the pure part: what a person typed → at most MAX_TERMS words of letters and
// digits (any script), all required; a word of PREFIX_MIN_LENGTH or more matches as a prefix
// ("заказ" finds «заказе»), a shorter one as a whole word (a prefix "3" would expand to every
// number starting with 3 — at 1M messages that made one search take a second). The store turns
// them into SQLite FTS5 or PostgreSQL tsquery syntax; nothing typed reaches either syntax unquoted.

export const MAX_TERMS = 8;
export const MAX_TERM_LENGTH = 64;
export const PREFIX_MIN_LENGTH = 3;

const isPrefix = (term: string): boolean => Array.from(term).length >= PREFIX_MIN_LENGTH;

/** Lower-cased words of letters and digits; punctuation and operators are separators, never syntax. */
export function searchTerms(query: string): string[] {
  const words = query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words.map((w) => Array.from(w).slice(0, MAX_TERM_LENGTH).join('')))];
  return unique.slice(0, MAX_TERMS);
}

/** FTS5 MATCH text: each term quoted, a prefix when long enough, implicitly ANDed ("заказ"* "42"). */
export function ftsMatch(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"${isPrefix(t) ? '*' : ''}`).join(' ');
}

/** PostgreSQL to_tsquery('simple', …) text: ANDed (заказ:* & 42). Terms hold only letters and digits. */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((t) => (isPrefix(t) ? `${t}:*` : t)).join(' & ');
}
