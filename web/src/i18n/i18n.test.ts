// The web app's t() on Intl: placeholders, plural forms by locale, relative times, browser locale.

import { afterEach, describe, expect, it } from 'vitest';
import { formatRelative, localeFrom, plural, setLocale, t } from './i18n.js';

afterEach(() => setLocale('en'));

describe('i18n', () => {
  it('fills placeholders and falls back to the key when missing', () => {
    setLocale('en');
    expect(t('auth.error.lockedUntil', { time: '14:05' })).toBe('Too many wrong passwords: this account is locked until 14:05.');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('chooses Russian plural forms by Intl.PluralRules', () => {
    setLocale('ru');
    expect(plural('inbox.count', 1, { more: '' })).toBe('1 диалог');
    expect(plural('inbox.count', 3, { more: '' })).toBe('3 диалога');
    expect(plural('inbox.count', 5, { more: '' })).toBe('5 диалогов');
    expect(plural('inbox.count', 21, { more: '+' })).toBe('21 диалог+');
    setLocale('en');
    expect(plural('inbox.count', 1, { more: '' })).toBe('1 conversation');
    expect(plural('inbox.count', 2, { more: '' })).toBe('2 conversations');
  });

  it('formats relative times in the locale', () => {
    const now = Date.UTC(2025, 0, 10, 12);
    setLocale('en');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 min. ago');
    expect(formatRelative(now - 10_000, now)).toBe('now');
    setLocale('ru');
    expect(formatRelative(now - 2 * 3_600_000, now)).toBe('2 ч назад');
  });

  it('picks the locale from the browser languages', () => {
    expect(localeFrom(['ru-RU', 'en'])).toBe('ru');
    expect(localeFrom(['de-DE', 'en-GB'])).toBe('en');
    expect(localeFrom(['fr'])).toBe('en');
    expect(localeFrom(undefined)).toBe('en');
  });
});
