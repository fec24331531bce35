// The app's own small i18n on Intl: t(key, vars) over per-feature catalogs (en/<feature>.ts,
// ru/<feature>.ts, found by import.meta.glob), plurals, relative times, dates and numbers.

import { useSyncExternalStore } from 'react';

export type Locale = 'en' | 'ru';
export const LOCALES: readonly Locale[] = ['en', 'ru'];
type Catalog = Record<string, string>;

function merge(modules: Record<string, Catalog>): Catalog {
  return Object.assign({}, ...Object.values(modules)) as Catalog;
}

const CATALOGS: Record<Locale, Catalog> = {
  en: merge(import.meta.glob<Catalog>('./en/*.ts', { eager: true, import: 'default' })),
  ru: merge(import.meta.glob<Catalog>('./ru/*.ts', { eager: true, import: 'default' })),
};

/** The supported locale a browser language list prefers (`ru-RU` → ru); English otherwise. */
export function localeFrom(languages: readonly string[] | undefined): Locale {
  for (const tag of languages ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ru' || base === 'en') return base;
  }
  return 'en';
}

let current: Locale = typeof navigator === 'undefined' ? 'en' : localeFrom(navigator.languages?.length ? navigator.languages : [navigator.language]);
const listeners = new Set<() => void>();

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export type Vars = Record<string, string | number>;

function fill(text: string, vars: Vars | undefined): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = vars[name];
    if (v === undefined) return all;
    return typeof v === 'number' ? formatNumber(v) : v;
  });
}

/** The text of `key` in the current locale with `{name}` placeholders filled; the key itself if missing. */
export function t(key: string, vars?: Vars): string {
  const text = CATALOGS[current][key] ?? CATALOGS.en[key];
  return text === undefined ? key : fill(text, vars);
}

/** `key.one|few|many|other` chosen by Intl.PluralRules for `count`; `{count}` is filled in. */
export function plural(key: string, count: number, vars?: Vars): string {
  const rule = new Intl.PluralRules(current).select(count);
  const catalog = CATALOGS[current];
  const text = catalog[`${key}.${rule}`] ?? catalog[`${key}.other`] ?? CATALOGS.en[`${key}.other`];
  return text === undefined ? key : fill(text, { count, ...vars });
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(current).format(n);
}

/** HH:MM in the browser's zone. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(current, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000], ['month', 30 * 86_400_000], ['week', 7 * 86_400_000],
  ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000],
];

/** "5 minutes ago" / «5 минут назад»; under a minute: "now". */
export function formatRelative(ms: number, now: number = Date.now()): string {
  const diff = ms - now;
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto', style: 'short' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return rtf.format(Math.trunc(diff / size), unit);
  }
  return rtf.format(0, 'second');
}

/** Re-renders the component when the locale changes; returns the current locale's t. */
export function useT(): typeof t {
  useSyncExternalStore(subscribe, getLocale, getLocale);
  return t;
}

export function useLocale(): Locale {
  return useSyncExternalStore(subscribe, getLocale, getLocale);
}
