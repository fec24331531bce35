// Splits a text into plain and matched parts for the search terms (each a word prefix, any script),
// so results highlight with React elements — never with HTML built from customer text.

export interface TextPart { text: string; hit: boolean }

const WORD = /[\p{L}\p{N}]+/gu;

/** The longest term that starts `word` (case-insensitively), or undefined. */
function matchedLength(word: string, terms: readonly string[]): number {
  const lower = word.normalize('NFKC').toLowerCase();
  let best = 0;
  for (const term of terms) {
    if (term.length > best && lower.startsWith(term)) best = term.length;
  }
  // NFKC/lower-casing may change the length of exotic characters: never mark past the word.
  return Math.min(best, word.length);
}

/** `highlightParts('Где мой заказ?', ['зак'])` → [{'Где мой ', false}, {'зак', true}, {'аз?', false}]. */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  const wanted = terms.map((t) => t.normalize('NFKC').toLowerCase()).filter((t) => t.length > 0);
  const parts: TextPart[] = [];
  const push = (piece: string, hit: boolean) => {
    if (!piece) return;
    const last = parts[parts.length - 1];
    if (last && last.hit === hit) last.text += piece;
    else parts.push({ text: piece, hit });
  };
  let at = 0;
  for (const m of text.matchAll(WORD)) {
    const len = wanted.length ? matchedLength(m[0], wanted) : 0;
    if (len === 0) continue;
    push(text.slice(at, m.index), false);
    push(text.slice(m.index, m.index + len), true);
    at = m.index + len;
  }
  push(text.slice(at), false);
  return parts;
}
