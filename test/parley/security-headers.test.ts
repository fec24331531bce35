// Security headers over real HTTP (issue 12, item 6): a CSP without inline scripts, no framing,
// nosniff and no referrer on /docs, the API and the sandbox's phone view; stored files served with
// Parley's own type and Content-Disposition, never the uploader's declared active type.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMedia } from '../../src/store/queries/media.js';
import { startHarness, type Harness, type Reply } from './harness.js';

/** A valid 1×1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

function directives(res: Reply): Map<string, string> {
  const csp = String(res.headers['content-security-policy'] ?? '');
  return new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name = '', ...values] = d.split(/\s+/);
    return [name, values.join(' ')] as const;
  }));
}

function expectPageHeaders(res: Reply): void {
  const csp = directives(res);
  expect(csp.get('script-src')).toBe("'self'");
  expect(csp.get('script-src-attr')).toBe("'none'");
  expect(csp.get('frame-ancestors')).toBe("'none'");
  expect(csp.get('object-src')).toBe("'none'");
  expect(csp.get('default-src')).toBe("'self'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
}

async function storeMedia(mimeType: string, filename: string | null, bytes: Buffer): Promise<string> {
  const { deps, demo } = h.parley;
  const id = `med_test${Math.random().toString(36).slice(2, 10)}`;
  await mkdir(join(deps.config.mediaDir, demo!.workspaceId), { recursive: true });
  await writeFile(join(deps.config.mediaDir, demo!.workspaceId, id), bytes);
  await insertMedia(deps.database.db, demo!.workspaceId, {
    id, inboxId: demo!.inboxId, direction: 'in', metaMediaId: '9000001', mimeType, size: bytes.length, filename,
    path: join(demo!.workspaceId, id), now: Date.now(),
  });
  return id;
}

describe('security headers', () => {
  it('are on the API docs page', async () => {
    const res = await h.raw.get('/docs');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/html');
    expectPageHeaders(res);
    expect(String(res.body)).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('are on an API answer and an API error', async () => {
    expectPageHeaders(await h.api.get('/api/v1/conversations'));
    expectPageHeaders(await h.raw.get('/api/v1/conversations'));
  });

  it('are on the sandbox phone view, which has no inline script or style', async () => {
    const res = await h.sandbox.get('/_sandbox/phone');
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    expect(directives(res).get('style-src')).toBe("'self'");
    const html = String(res.body);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    for (const asset of ['/_sandbox/phone.js', '/_sandbox/phone.css']) {
      expect(html).toContain(asset);
      const file = await h.sandbox.get(asset);
      expect(file.status).toBe(200);
      expect(file.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('are left off Meta\'s webhook calls, which no browser renders', async () => {
    const res = await h.postWebhook({ object: 'whatsapp_business_account', entry: [] });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });
});

describe('media downloads', () => {
  it('serve an image inline, as an image, with its name', async () => {
    const id = await storeMedia('image/png', 'dot.png', PNG);
    const res = await h.api.get(`/api/v1/media/${id}/content`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe(`inline; filename="dot.png"; filename*=UTF-8''dot.png`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['text/html', 'page.html', '<script>alert(document.cookie)</script>'],
    ['image/svg+xml', 'logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['application/javascript', null, 'alert(1)'],
  ])('serve a declared %s as a download of bytes, never as itself', async (mimeType, filename, body) => {
    const id = await storeMedia(mimeType, filename, Buffer.from(body));
    const res = await h.api.get(`/api/v1/media/${id}/content`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename ?? id}"; filename*=UTF-8''${filename ?? id}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toBe(body);
  });

  it('give a hostile file name back safely (no header injection, no path)', async () => {
    const id = await storeMedia('application/pdf', '../счёт\r\nSet-Cookie: a=1.pdf', Buffer.from('%PDF-1.4'));
    const res = await h.api.get(`/api/v1/media/${id}/content`);
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="____Set-Cookie: a=1.pdf"; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82Set-Cookie%3A%20a%3D1.pdf`);
  });
});
