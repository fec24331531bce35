// The languages an operator answers in and a customer's language, for the web app: a comma list
// parsed and checked as the API does (ISO 639-1: two lowercase letters, at most 10), names in the
// reader's language (Intl.DisplayNames), and the API calls that set them, errors in words.

import { api, type ApiError } from '../../../api/client.js';
import { getLocale, t } from '../../../i18n/i18n.js';
import { attempt, problemText } from '../settings-api.js';

export const MAX_LANGUAGES = 10;

/** "ru, en" → ['ru', 'en'] (lower-cased, each once); a code that is not two letters, or more than 10, → the problem in words. */
export function parseLanguages(text: string): { ok: true; value: string[] } | { ok: false; problem: string } {
  const parts = text.split(/[\s,;]+/).map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  const bad = parts.find((p) => !/^[a-z]{2}$/.test(p));
  if (bad !== undefined) return { ok: false, problem: t('routing.languages.error.code', { code: bad }) };
  const value = [...new Set(parts)];
  if (value.length > MAX_LANGUAGES) return { ok: false, problem: t('routing.languages.error.tooMany', { max: MAX_LANGUAGES }) };
  return { ok: true, value };
}

/** "Russian" for 'ru' in English, «русский» in Russian; the code itself when the browser does not know it. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([getLocale()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The API's language errors in the user's words; others as the Settings pages tell them. */
export function languagesProblemText(error: ApiError): string {
  if (error.code === 'language_invalid') {
    const value = error.details?.['value'];
    return typeof value === 'string' && value.includes(',')
      ? t('routing.languages.error.tooMany', { max: MAX_LANGUAGES })
      : t('routing.languages.error.code', { code: typeof value === 'string' ? value : '' });
  }
  return problemText(error, 'user');
}

export const patchUserLanguages = (id: string, languages: string[]) => attempt(api.PATCH('/users/{id}', { params: { path: { id } }, body: { languages } }));
export const getContact = (id: string) => attempt(api.GET('/contacts/{id}', { params: { path: { id } } }));
