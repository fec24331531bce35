// Languages, the pure part: code checks and the guess of a customer's language from their text.

import { describe, expect, it } from 'vitest';
import { contactLanguage, guessLanguage, languageCodeProblem, languagesProblem, normalizeLanguages } from './language.js';

describe('guessLanguage', () => {
  it.each<[string | null, 'ru' | 'en' | null]>([
    ['Здравствуйте, где мой заказ?', 'ru'],
    ['привет', 'ru'],
    ['Order 123 не пришёл', 'ru'],
    ['Hello, where is my order?', 'en'],
    ['hey', 'en'],
    ['ok', null],
    ['Hi!', null],
    ['12345', null],
    ['👍👍', null],
    ['', null],
    [null, null],
    ['¿Dónde está mi pedido?', null],
    ['Wo ist meine Bestellung? Grüße', null],
    ['مرحبا order', null],
    ['你好 hello', null],
  ])('%j → %s', (text, language) => {
    expect(guessLanguage(text)).toBe(language);
  });
});

describe('contactLanguage', () => {
  it('prefers the language set on the contact, else guesses from the text', () => {
    expect(contactLanguage('de', 'Привет')).toBe('de');
    expect(contactLanguage(null, 'Привет')).toBe('ru');
    expect(contactLanguage(null, null)).toBeNull();
  });
});

describe('language codes', () => {
  it.each<[string, boolean]>([['ru', true], ['en', true], ['RU', false], ['rus', false], ['r', false], ['', false], [' en', false], ['e1', false]])('%j ok: %s', (code, ok) => {
    expect(languageCodeProblem(code) === null).toBe(ok);
  });

  it('takes at most 10 distinct codes, each once in the order given', () => {
    expect(languagesProblem([])).toBeNull();
    expect(languagesProblem(['ru', 'en', 'ru'])).toBeNull();
    expect(normalizeLanguages(['ru', 'en', 'ru'])).toEqual(['ru', 'en']);
    const ten = ['ru', 'en', 'de', 'fr', 'es', 'it', 'pt', 'uk', 'kk', 'tr'];
    expect(languagesProblem(ten)).toBeNull();
    expect(languagesProblem([...ten, 'pl'])?.message).toContain('at most 10');
    expect(languagesProblem(['ru', 'English'])).toEqual({ value: 'English', message: expect.stringContaining('two lowercase letters') });
  });
});
