// Media through Parley over real HTTP: upload (multipart) → send by metaMediaId inside the window;
// an upload over MEDIA_MAX_BYTES → 413; a customer's image downloaded to MEDIA_DIR and served back.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './harness.js';
import { conversationMessages, createCustomer, hasStatus, sandboxSends, sendOk, waitForMessage } from './steps.js';

const MAX_BYTES = 4096;
/** A valid 1×1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let h: Harness;
beforeAll(async () => { h = await startHarness({ env: { MEDIA_MAX_BYTES: String(MAX_BYTES) } }); });
afterAll(async () => { await h?.close(); });

async function upload(bytes: Buffer, type: string, filename: string, apiKey: string | null = h.parley.demo!.apiKey): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  const res = await fetch(`${h.parley.url}/api/v1/media`, {
    method: 'POST', body: form, headers: apiKey === null ? {} : { authorization: `Bearer ${apiKey}` },
  });
  return { status: res.status, body: await res.json() };
}

/** The customer writes first, so free-form messages are allowed; returns the conversation id. */
async function openWindow(waId: string): Promise<string> {
  await createCustomer(h.sandbox, waId, 'silent');
  const res = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text: 'Send me a picture' });
  expect(res.status).toBeLessThan(300);
  return conversationOf(waId);
}

function conversationOf(waId: string): Promise<string> {
  return eventually(async () => {
    const contacts = (await h.api.get('/api/v1/contacts?limit=200')).body.items as Array<{ id: string; waId: string }>;
    const contact = contacts.find((c) => c.waId === waId);
    if (!contact) return undefined;
    const conv = (await h.api.get(`/api/v1/conversations?contactId=${contact.id}`)).body.items[0];
    return conv?.windowOpen ? (conv.id as string) : undefined;
  }, { what: `window open for ${waId}` });
}

describe('media', () => {
  it('uploads a PNG through Parley and sends it as an image by its metaMediaId', async () => {
    const up = await upload(PNG, 'image/png', 'dot.png');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ direction: 'out', mimeType: 'image/png', size: PNG.length, filename: 'dot.png' });
    expect(up.body.metaMediaId).toMatch(/^\d+$/);
    const copy = await h.api.get(`/api/v1/media/${up.body.id}/content`);
    expect(copy.status).toBe(200);

    const to = '447400123501';
    await openWindow(to);
    const queued = await sendOk(h.api, `+${to}`, { type: 'image', mediaId: up.body.metaMediaId, caption: 'Here it is' });
    const sent = await waitForMessage(h.api, queued.id, hasStatus('sent', 'delivered', 'read'));
    expect(sent.wamid).toMatch(/^wamid\./);
    const request = (await sandboxSends(h.sandbox)).filter((r) => r.body?.biz_opaque_callback_data === queued.id);
    expect(request.map((r) => [r.status, r.body.type, r.body.image])).toEqual([[200, 'image', { id: up.body.metaMediaId, caption: 'Here it is' }]]);
  });

  it('refuses an upload over MEDIA_MAX_BYTES with 413 payload_too_large', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_BYTES * 2)]);
    const res = await upload(big, 'image/png', 'big.png');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('refuses a file type WhatsApp does not accept and a request without a file', async () => {
    const res = await upload(Buffer.from('#!/bin/sh\necho hi\n'), 'application/x-sh', 'run.sh');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    const json = await h.api.post('/api/v1/media', { file: 'nope' });
    expect(json.status).toBe(415);
  });

  it('asks an upload for an API key like every other API route, and takes multipart only there', async () => {
    const anonymous = await upload(PNG, 'image/png', 'pic.png', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const form = new FormData();
    form.append('to', '+447700900001');
    const elsewhere = await fetch(`${h.parley.url}/api/v1/messages`, {
      method: 'POST', body: form, headers: { authorization: `Bearer ${h.parley.demo!.apiKey}` },
    });
    expect(elsewhere.status).toBe(415);
    expect(await elsewhere.json()).toEqual({ error: { code: 'unsupported_media_type', message: 'Send the body as JSON (Content-Type: application/json).' } });
  });

  it("passes on Meta's refusal of an upload as 400 with Meta's code, not a 500", async () => {
    // Declared PNG but JPEG bytes: Meta (the sandbox) refuses the mismatch with 131053.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)]);
    const res = await upload(jpeg, 'image/png', 'fake.png');
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: { metaCode: 131053 } });
    expect(res.body.error.message).toMatch(/WhatsApp refused it/);
  });

  it("downloads a customer's image into MEDIA_DIR and serves its bytes", async () => {
    const waId = '447400123502';
    await createCustomer(h.sandbox, waId, 'silent');
    const sent = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, {
      type: 'image', caption: 'my parcel', mimeType: 'image/png', dataBase64: PNG.toString('base64'),
    });
    expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
    const conversationId = await conversationOf(waId);
    const image = await eventually(async () => (await conversationMessages(h.api, conversationId))
      .find((m) => m.direction === 'in' && m.type === 'image' && m.mediaId !== null), { what: 'inbound image with its media' });
    expect(image.content.caption).toBe('my parcel');
    const res = await request(`${h.parley.url}/api/v1/media/${image.mediaId}/content`, {
      headers: { authorization: `Bearer ${h.parley.demo!.apiKey}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(Buffer.from(await res.body.arrayBuffer()).equals(PNG)).toBe(true);
    // The file itself lives under MEDIA_DIR.
    const row = await h.parley.deps.database.db.selectFrom('media').select(['path', 'direction']).where('id', '=', image.mediaId!).executeTakeFirstOrThrow();
    expect(row.direction).toBe('in');
    expect((await readFile(resolve(h.parley.config.mediaDir, row.path!))).equals(PNG)).toBe(true);
  });
});
