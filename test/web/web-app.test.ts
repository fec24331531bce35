// The built web app served by Parley over real HTTP: index.html at / and as the SPA fallback for
// browser pages (never for the API, docs, probes or missing assets), caching and the CSP.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, ensureWebBuilt } from '../../scripts/build-web.js';
import { isAppPage } from '../../src/http/web-app.js';
import { startHarness, type Harness, type Reply } from '../parley/harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function csp(res: Reply): Map<string, string> {
  const text = String(res.headers['content-security-policy'] ?? '');
  return new Map(text.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name = '', ...values] = d.split(/\s+/);
    return [name, values.join(' ')] as const;
  }));
}

describe('the web app', () => {
  it('is served at / as the built index.html, never cached, under a CSP without inline scripts', async () => {
    const res = await h.raw.get('/', HTML);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    const html = String(res.body);
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const p = csp(res);
    expect(p.get('default-src')).toBe("'self'");
    expect(p.get('script-src')).toBe("'self'");
    expect(p.get('style-src')).toBe("'self'");
    expect(p.get('img-src')).toBe("'self' data: blob:");
    expect(p.get('media-src')).toBe("'self' blob:");
    expect(p.get('connect-src')).toBe("'self'");
    expect(p.get('frame-ancestors')).toBe("'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('answers browser pages of the app with index.html (SPA fallback)', async () => {
    const index = String((await h.raw.get('/', HTML)).body);
    for (const path of ['/inbox', '/inbox/cnv_123', '/invite/abc', '/reset-password/xyz?x=1', '/sign-in']) {
      const res = await h.raw.get(path, HTML);
      expect(res.status, path).toBe(200);
      expect(String(res.body), path).toBe(index);
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('leaves the server\'s own paths and non-HTML requests a JSON 404', async () => {
    for (const [path, headers] of [
      ['/api/v1/nothing-here', HTML], ['/nothing-here', { accept: 'application/json' }], ['/nothing-here', {}],
      ['/assets/missing-file.js', HTML], ['/webhooks/nope', HTML], ['/_sandbox/nope', HTML],
    ] as const) {
      const res = await h.raw.get(path, headers);
      expect(res.status, path).toBe(404);
      expect(String(res.headers['content-type']), path).toContain('application/json');
    }
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const files = await readdir(join(DIST_DIR, 'assets'));
    const js = files.find((f) => f.endsWith('.js'));
    const css = files.find((f) => f.endsWith('.css'));
    expect(js && css).toBeTruthy();
    for (const [file, type] of [[js, 'javascript'], [css, 'text/css']] as const) {
      const res = await h.raw.get(`/assets/${file}`);
      expect(res.status, file).toBe(200);
      expect(String(res.headers['content-type'])).toContain(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('keeps the old start page at /about, linking to the app and the docs', async () => {
    const res = await h.raw.get('/about', { 'accept-language': 'ru-RU,ru;q=0.9' });
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('<a href="/">Открыть диалоги</a>');
    expect(String(res.body)).toContain('<a href="/docs">Документация API (OpenAPI)</a>');
  });

  it('is not rebuilt when nothing under web/ changed since the last build', async () => {
    await ensureWebBuilt();
    const again = await ensureWebBuilt();
    expect(again.built).toBe(false);
    expect(again.ms).toBeLessThan(1000);
  });
});

describe('isAppPage', () => {
  it.each([
    ['/', 'text/html', true],
    ['/inbox/cnv_1', 'text/html,*/*', true],
    ['/inbox', 'application/json', false],
    ['/inbox', undefined, false],
    ['/api/v1/conversations', 'text/html', false],
    ['/api', 'text/html', false],
    ['/docs/json', 'text/html', false],
    ['/health', 'text/html', false],
    ['/metrics', 'text/html', false],
    ['/assets/x.js', 'text/html', false],
    ['/apiary', 'text/html', true],
  ])('%s (%s) → %s', (path, accept, expected) => {
    expect(isAppPage(path, accept)).toBe(expected);
  });
});
