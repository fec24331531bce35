// The web app's message catalogs (web/src/i18n/{en,ru}/<feature>.ts): the same keys in both
// languages (plural forms per language), no untranslated Russian text, identical placeholders.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const I18N = fileURLToPath(new URL('../../web/src/i18n/', import.meta.url));

/** Keys whose Russian text may equal the English or lack Cyrillic: product names, codes, symbols. */
const ALLOWED_SAME = new Set<string>([]);
const ALLOWED_VALUES = new Set(['Parley', 'WhatsApp', 'OK', 'API', 'E.164', '—', '·', '…']);
const PLURAL = /\.(zero|one|two|few|many|other)$/;
const REQUIRED_FORMS: Record<'en' | 'ru', string[]> = { en: ['one', 'other'], ru: ['one', 'few', 'many', 'other'] };

async function load(lang: 'en' | 'ru'): Promise<Map<string, { value: string; file: string }>> {
  const out = new Map<string, { value: string; file: string }>();
  for (const file of (await readdir(join(I18N, lang))).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = (await import(pathToFileURL(join(I18N, lang, file)).href)) as { default: Record<string, string> };
    for (const [key, value] of Object.entries(mod.default)) {
      expect(out.has(key), `${lang}/${file}: ${key} is defined twice`).toBe(false);
      expect(typeof value, `${lang}/${file}: ${key}`).toBe('string');
      out.set(key, { value, file });
    }
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const base = (key: string) => key.replace(PLURAL, '');
const trivial = (text: string) => ALLOWED_VALUES.has(text.trim()) || !/\p{L}/u.test(text.replace(/\{\w+\}/g, ''));

describe('web catalogs', async () => {
  const en = await load('en');
  const ru = await load('ru');

  it('have files and keys named by feature (feature.key, the file named as the prefix)', () => {
    expect(en.size).toBeGreaterThan(20);
    for (const [lang, catalog] of [['en', en], ['ru', ru]] as const) {
      for (const [key, { file }] of catalog) {
        expect(key, `${lang}/${file}`).toMatch(/^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)+$/);
      }
    }
  });

  it('have the same keys in en and ru (plural keys by their base, with each language\'s forms)', () => {
    const singles = (c: Map<string, unknown>) => [...c.keys()].filter((k) => !PLURAL.test(k)).sort();
    const plurals = (c: Map<string, unknown>) => [...new Set([...c.keys()].filter((k) => PLURAL.test(k)).map(base))].sort();
    expect(singles(ru)).toEqual(singles(en));
    expect(plurals(ru)).toEqual(plurals(en));
    for (const [lang, catalog] of [['en', en], ['ru', ru]] as const) {
      for (const key of plurals(catalog)) {
        for (const form of REQUIRED_FORMS[lang]) expect(catalog.has(`${key}.${form}`), `${lang}: ${key}.${form}`).toBe(true);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, { value }] of ru) {
      const english = en.get(key) ?? en.get(`${base(key)}.other`);
      if (english) expect(placeholders(value), key).toEqual(placeholders(english.value));
    }
  });

  it('leave nothing untranslated in Russian', () => {
    for (const [key, { value, file }] of ru) {
      if (ALLOWED_SAME.has(key) || trivial(value)) continue;
      expect(value, `ru/${file}: ${key} equals the English`).not.toBe(en.get(key)?.value);
      expect(value, `ru/${file}: ${key} has no Cyrillic`).toMatch(/\p{Script=Cyrillic}/u);
    }
  });
});
