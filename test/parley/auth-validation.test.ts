// API keys and bad input over real HTTP: 401 without a valid key, keys created (usable) and revoked
// (refused), and 400 validation_failed with a clear message for malformed send requests.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startHarness, type Harness } from './harness.js';
import { templateContent } from './steps.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('API keys', () => {
  it('answers 401 unauthorized for a missing, wrong or malformed key', async () => {
    const headers: Array<Record<string, string>> = [{}, { authorization: 'Bearer pk_wrong_key' }, { authorization: 'Basic abc' }, { 'x-api-key': 'pk_nope' }];
    for (const hdrs of headers) {
      const res = await h.raw.get('/api/v1/conversations', hdrs);
      expect([JSON.stringify(hdrs), res.status, res.body.error.code]).toEqual([JSON.stringify(hdrs), 401, 'unauthorized']);
      expect(res.body.error.message).toMatch(/API key/);
    }
    const send = await h.raw.post('/api/v1/messages', { to: '+447400123401', content: templateContent() });
    expect(send.status).toBe(401);
    expect((await h.raw.get('/api/v1/inboxes', { 'x-api-key': h.parley.demo!.apiKey })).status).toBe(200);
  });

  it('creates a key that works at once and refuses it after revocation', async () => {
    const created = await h.api.post('/api/v1/api-keys', { name: 'integration' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^pk_/);
    expect(created.body.apiKey).toMatchObject({ name: 'integration', revokedAt: null });
    const other = httpClient(h.parley.url, { authorization: `Bearer ${created.body.key}` });
    const inboxes = await other.get('/api/v1/inboxes');
    expect(inboxes.status).toBe(200);
    expect(inboxes.body.items.map((i: { id: string }) => i.id)).toEqual([h.parley.demo!.inboxId]);
    const listed = await h.api.get('/api/v1/api-keys');
    const entry = listed.body.items.find((k: { id: string }) => k.id === created.body.apiKey.id);
    expect(entry).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key); // stored hashed, never shown again

    expect((await h.api.delete(`/api/v1/api-keys/${created.body.apiKey.id}`)).status).toBe(204);
    const revoked = await other.get('/api/v1/inboxes');
    expect([revoked.status, revoked.body.error.code]).toEqual([401, 'unauthorized']);
    expect((await h.api.delete(`/api/v1/api-keys/${created.body.apiKey.id}`)).status).toBe(404);
    expect((await h.api.post('/api/v1/api-keys', { name: '' })).status).toBe(400);
  });
});

describe('send validation', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['unknown top-level field', { to: '+447400123401', content: templateContent(), priority: 'high' }, /priority|additional/i],
    ['wrong type of a field', { to: { phone: '+447400123401' }, content: templateContent() }, /to|string/i],
    ['content that is not an object', { to: '+447400123401', content: 'hello' }, /content|object/i],
    ['missing content', { to: '+447400123401' }, /content/i],
    ['content of an unknown type', { to: '+447400123401', content: { type: 'fax', body: 'x' } }, /content\.type must be one of: text, image/],
    ['text without its body', { to: '+447400123401', content: { type: 'text' } }, /content\.body/],
    ['a field of another content type', { to: '+447400123401', content: { type: 'text', body: 'hi', caption: 'x' } }, /content\.caption/],
    ['a template parameter of the wrong shape', { to: '+447400123401', content: { ...templateContent('order_update', 'en_US'), body: ['Ann'] } }, /content\.body\.0/],
    ['bad phone number', { to: '+12', content: { type: 'text', body: 'hi' } }, /phone number|international format/i],
    ['letters for a phone number', { to: 'call me maybe', content: { type: 'text', body: 'hi' } }, /to|phone/i],
    ['no recipient', { content: { type: 'text', body: 'hi' } }, /to.*contactId|who the message is for/i],
    // JSON bodies are not coerced: a number where a string belongs is the caller's mistake.
    ['a phone number sent as a JSON number', { to: 447400123401, content: templateContent() }, /to|string/i],
    ['a boolean sent as a string', { to: '+447400123401', content: { type: 'text', body: 'hi', previewUrl: 'true' } }, /previewUrl|boolean/i],
  ];
  for (const [what, body, message] of cases) {
    it(`answers 400 validation_failed for ${what}`, async () => {
      const res = await h.api.post('/api/v1/messages', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(message);
      // One clear problem, not the failure of every other content type in the union.
      expect(res.body.error.message).not.toMatch(/equal to constant|latitude/);
    });
  }

  it('answers 400 for a body that is not JSON, and 415 for an unsupported content type', async () => {
    const res = await h.raw.post('/api/v1/messages', undefined, {
      authorization: `Bearer ${h.parley.demo!.apiKey}`, 'content-type': 'application/json',
    });
    expect([400, 415]).toContain(res.status);
    const { request } = await import('undici');
    const broken = await request(`${h.parley.url}/api/v1/messages`, {
      method: 'POST', body: '{"to": "+4474', headers: { authorization: `Bearer ${h.parley.demo!.apiKey}`, 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(((await broken.body.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    const xml = await request(`${h.parley.url}/api/v1/messages`, {
      method: 'POST', body: '<to/>', headers: { authorization: `Bearer ${h.parley.demo!.apiKey}`, 'content-type': 'application/xml' },
    });
    expect(xml.statusCode).toBe(415);
    expect(((await xml.body.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('refuses an unknown template before anything is sent (template_not_found)', async () => {
    const res = await h.api.post('/api/v1/messages', { to: '+447400123402', content: templateContent('no_such_template', 'en_US') });
    expect(res.status).toBe(422);
    expect(res.body.error.details.reason).toBe('template_not_found');
    const params = await h.api.post('/api/v1/messages', { to: '+447400123402', content: templateContent('order_update', 'en_US', ['only one']) });
    expect(params.status).toBe(422);
    expect(params.body.error.details.reason).toBe('template_params_mismatch');
  });
});
