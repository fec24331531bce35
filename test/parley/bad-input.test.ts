// A caller's mistake is a 4xx with a code, never a 500: JSON nested thousands of levels deep (contact
// attributes, a contact card), oversized free-form attributes, a truncated multipart upload.

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './harness.js';
import { createCustomer } from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

/** `{"a":{"a":…{"a":1}…}}`, `levels` objects deep, as text (JSON.stringify would itself overflow). */
function nestedJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

async function postRaw(method: 'POST' | 'PATCH', path: string, body: string, contentType = 'application/json') {
  const res = await request(`${h.parley.url}${path}`, {
    method, body, headers: { authorization: `Bearer ${h.parley.demo!.apiKey}`, 'content-type': contentType },
  });
  return { status: res.statusCode, body: await res.body.json() as any };
}

let contactId: Promise<string> | undefined;
function someContactId(): Promise<string> {
  contactId ??= storeContact();
  return contactId;
}

async function storeContact(): Promise<string> {
  await createCustomer(h.sandbox, '447400123901', 'silent');
  await h.sandbox.post('/_sandbox/customers/447400123901/messages', { type: 'text', text: 'hi' });
  return eventually(async () => {
    const items = (await h.api.get('/api/v1/contacts?limit=200')).body.items as Array<{ id: string; waId: string }>;
    return items.find((c) => c.waId === '447400123901')?.id;
  }, { what: 'contact stored' });
}

describe('deeply nested and oversized JSON', () => {
  it('refuses contact attributes nested 4,200 levels deep with 400 json_too_deep', async () => {
    const id = await someContactId();
    const res = await postRaw('PATCH', `/api/v1/contacts/${id}`, `{"attributes":${nestedJson(4200)}}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('json_too_deep');
    expect(res.body.error.message).toMatch(/32 levels/);
    expect(res.body.error.message).toContain('attributes.a.a');
  });

  it('refuses a contact card nested 4,200 levels deep with 400 json_too_deep', async () => {
    const card = `{"name":{"formattedName":"A","firstName":"A"},"x":${nestedJson(4200)}}`;
    const res = await postRaw('POST', '/api/v1/messages', `{"to":"+447400123901","content":{"type":"contacts","contacts":[${card}]}}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('json_too_deep');
  });

  it('accepts attributes nested within the limit and refuses oversized ones with 400 json_too_large', async () => {
    const id = await someContactId();
    const ok = await postRaw('PATCH', `/api/v1/contacts/${id}`, `{"attributes":{"plan":${nestedJson(20)}}}`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const big = await h.api.patch(`/api/v1/contacts/${id}`, { attributes: { notes: 'x'.repeat(70_000) } });
    expect(big.status, JSON.stringify(big.body)).toBe(400);
    expect(big.body.error.code).toBe('json_too_large');
    expect(big.body.error.message).toMatch(/attributes.*65536 bytes/);
  });
});

describe('multipart uploads', () => {
  it('answers a truncated multipart upload with 400 multipart_invalid', async () => {
    const boundary = '----parleytest';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
    const res = await postRaw('POST', '/api/v1/media', `${head}\x89PNG partial bytes, no closing boundary`, `multipart/form-data; boundary=${boundary}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('multipart_invalid');
  });

  it('answers a multipart body without a boundary with a 4xx code', async () => {
    const res = await postRaw('POST', '/api/v1/media', 'garbage', 'multipart/form-data');
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.body.error.code).toBe('string');
  });
});
