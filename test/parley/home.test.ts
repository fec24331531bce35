// Parley's /about page over real HTTP (the app is at /): a small page pointing to /docs, in English or Russian by
// Accept-Language; other unknown paths (under /api too) still answer the JSON 404.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferredLanguage } from '../../src/http/routes/home.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('GET /about', () => {
  it('answers an English HTML page that links to the API docs', async () => {
    const res = await h.raw.get('/about');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers['vary']).toContain('Accept-Language');
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<a href="/docs">API documentation (OpenAPI)</a>');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('answers in Russian when the browser prefers it', async () => {
    const res = await h.raw.get('/about', { 'accept-language': 'ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7' });
    expect(res.status).toBe(200);
    expect(res.headers['content-language']).toBe('ru');
    expect(res.body).toContain('<html lang="ru">');
    expect(res.body).toContain('<a href="/docs">Документация API (OpenAPI)</a>');
  });

  it('leaves other unknown paths a JSON 404', async () => {
    for (const path of ['/api/v1/nothing-here', '/nothing-here']) {
      const res = await h.api.get(path);
      expect(res.status, path).toBe(404);
      expect(String(res.headers['content-type']), path).toContain('application/json');
    }
  });
});

describe('preferredLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ru', 'ru'],
    ['ru-RU', 'ru'],
    ['en-GB,en;q=0.9', 'en'],
    ['ru;q=0.5, en;q=0.8', 'en'],
    ['en;q=0.5, ru;q=0.8', 'ru'],
    ['de-DE,de;q=0.9,ru;q=0.7', 'ru'],
    ['de, fr', 'en'],
    ['ru;q=0', 'en'],
    ['*', 'en'],
  ])('%j → %s', (header, lang) => {
    expect(preferredLanguage(header)).toBe(lang);
  });
});
