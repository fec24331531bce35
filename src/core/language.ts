// Languages, the pure part: the codes operators answer in and a contact is written to (ISO 639-1, two
// lowercase letters), their checks, and a guess of a customer's language from the script of their text.

export const LANGUAGE_LIMITS = { maxPerUser: 10 } as const;

const CODE = /^[a-z]{2}$/;

export function isLanguageCode(value: string): boolean {
  return CODE.test(value);
}

export interface LanguageProblem { value: string; message: string }

/** What is wrong with one language code, or null. */
export function languageCodeProblem(value: string): LanguageProblem | null {
  if (isLanguageCode(value)) return null;
  return { value, message: `"${value}" is not a language code: use two lowercase letters (ISO 639-1), like ru or en` };
}

/** What is wrong with an operator's languages (each a code, at most 10), or null. */
export function languagesProblem(values: readonly string[]): LanguageProblem | null {
  for (const v of values) {
    const problem = languageCodeProblem(v);
    if (problem) return problem;
  }
  const distinct = normalizeLanguages(values);
  if (distinct.length > LANGUAGE_LIMITS.maxPerUser) {
    return { value: distinct.join(','), message: `at most ${LANGUAGE_LIMITS.maxPerUser} languages per person (got ${distinct.length})` };
  }
  return null;
}

/** In the order given, each once. */
export function normalizeLanguages(values: readonly string[]): string[] {
  return [...new Set(values)];
}

const CYRILLIC = /\p{Script=Cyrillic}/u;
const OTHER_LETTER = /(?!\p{Script=Latin})\p{L}/u;
const LATIN_WORD = /\p{Script=Latin}+/gu;
const ASCII_WORD = /^[A-Za-z]+$/;

/**
 * A customer's language from their text, deliberately simple so an operator can tell why: any
 * Cyrillic letter → 'ru' (the business's Cyrillic-writing customers); otherwise plain a–z letters
 * only with a word of at least three → 'en'; anything else (digits, emoji, "ok", accented Latin such
 * as Spanish or German, other scripts) → null, unknown.
 */
export function guessLanguage(text: string | null | undefined): 'ru' | 'en' | null {
  if (!text) return null;
  if (CYRILLIC.test(text)) return 'ru';
  if (OTHER_LETTER.test(text)) return null;
  const words = text.match(LATIN_WORD) ?? [];
  if (words.length === 0 || !words.every((w) => ASCII_WORD.test(w))) return null;
  return words.some((w) => w.length >= 3) ? 'en' : null;
}

/** The language routing uses for a contact: the one set on the contact, else the guess from their latest text. */
export function contactLanguage(explicit: string | null | undefined, latestInboundText: string | null | undefined): string | null {
  return explicit ?? guessLanguage(latestInboundText);
}
