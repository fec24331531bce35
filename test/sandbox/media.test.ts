// Media over the Graph surface: multipart upload with Meta's types and caps, the media URL and its
// bearer-token download (through inject and once over real HTTP), URL expiry, scope and delete.

import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeMedia } from '../../src/sandbox/media-route.js';
import { fakeFile, multipart, PHONE_ID, startMgmt, TOKEN, type Mgmt } from './mgmt-harness.js';

const MB = 1024 * 1024;
let h: Mgmt;

beforeEach(async () => { h = await startMgmt(); });
afterEach(async () => { await h.close(); });

function upload(fields: Record<string, string>, file?: Parameters<typeof multipart>[1], phoneId = PHONE_ID) {
  const { payload, headers } = multipart(fields, file);
  return h.app.inject({ method: 'POST', url: `/v23.0/${phoneId}/media`, headers: { ...headers, authorization: `Bearer ${TOKEN}` }, payload });
}

async function uploadJpeg(): Promise<{ id: string; bytes: Buffer }> {
  const bytes = fakeFile('jpeg', 2048);
  const res = await upload({ messaging_product: 'whatsapp', type: 'image/jpeg' }, { filename: 'photo.jpg', type: 'image/jpeg', bytes });
  expect(res.statusCode).toBe(200);
  return { id: res.json().id, bytes };
}

function download(url: string, token: string | null = TOKEN) {
  const u = new URL(url);
  return h.app.inject({ method: 'GET', url: u.pathname + u.search, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe('upload, info, download', () => {
  it('uploads a file and describes it with a short-lived URL, sha256 in base64 and its size', async () => {
    const { id, bytes } = await uploadJpeg();
    expect(id).toMatch(/^\d{15,16}$/);
    const info = await h.call('GET', `/${id}`);
    expect(info.json()).toEqual({
      messaging_product: 'whatsapp', url: expect.any(String), mime_type: 'image/jpeg',
      sha256: createHash('sha256').update(bytes).digest('base64'), file_size: bytes.length, id,
    });
    const url = new URL(info.json().url);
    expect(url.pathname).toBe('/whatsapp_business/attachments/');
    expect(url.searchParams.get('mid')).toBe(id);
    expect(Number(url.searchParams.get('ext'))).toBe(Math.floor((h.clock.now() + 5 * 60_000) / 1000));
  });

  it('downloads only with a valid bearer token, and only until the URL expires', async () => {
    const { id, bytes } = await uploadJpeg();
    const { url } = (await h.call('GET', `/${id}`)).json();
    const ok = await download(url);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    expect(ok.rawPayload.equals(bytes)).toBe(true);
    const none = await download(url, null);
    expect([none.statusCode, none.json().error.code]).toEqual([401, 190]);
    const wrong = await download(url, 'not-a-token');
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 190]);
    const forged = await download(url.replace(/hash=[^&]+/, 'hash=forged'));
    expect(forged.statusCode).toBe(404);
    h.clock.advance(5 * 60_000 - 1);
    expect((await download(url)).statusCode).toBe(200);
    h.clock.advance(1);
    expect((await download(url)).statusCode).toBe(404);
    const fresh = (await h.call('GET', `/${id}`)).json().url;
    expect((await download(fresh)).statusCode).toBe(200);
  });

  it('serves the download over real HTTP', async () => {
    const { id, bytes } = await uploadJpeg();
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    h.ctx.state.options.publicBaseUrl = address;
    const info = await request(`${address}/v23.0/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { url } = await info.body.json() as { url: string };
    expect(url.startsWith(address)).toBe(true);
    const res = await request(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.from(await res.body.arrayBuffer()).equals(bytes)).toBe(true);
    const anonymous = await request(url);
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.dump();
  });

  it('checks phone_number_id scope, deletes, and forgets media after 30 days', async () => {
    const { id } = await uploadJpeg();
    const scoped = await h.call('GET', `/${id}?phone_number_id=600000000000009`);
    expect(scoped.json().error.code).toBe(100);
    expect((await h.call('GET', `/${id}?phone_number_id=${PHONE_ID}`)).statusCode).toBe(200);
    const url = (await h.call('GET', `/${id}`)).json().url;
    expect((await h.call('DELETE', `/${id}`)).json()).toEqual({ success: true });
    expect((await h.call('GET', `/${id}`)).json().error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await download(url)).statusCode).toBe(404);
    const other = await uploadJpeg();
    h.clock.advance(30 * 24 * 3600_000);
    expect((await h.call('GET', `/${other.id}`)).json().error.error_subcode).toBe(33);
  });

  it('stores inbound media for other modules (storeMedia) with its own lifetime', async () => {
    const bytes = fakeFile('ogg', 512);
    const media = storeMedia(h.ctx.state, { phoneNumberId: PHONE_ID, mimeType: 'audio/ogg; codecs=opus', bytes, ttlMs: 7 * 24 * 3600_000 });
    expect(media.mimeType).toBe('audio/ogg');
    const info = (await h.call('GET', `/${media.id}`)).json();
    expect(info.sha256).toBe(createHash('sha256').update(bytes).digest('base64'));
    expect((await download(info.url)).rawPayload.equals(bytes)).toBe(true);
    h.clock.advance(7 * 24 * 3600_000);
    expect((await h.call('GET', `/${media.id}`)).json().error.code).toBe(100);
  });
});

describe('upload rules', () => {
  const accepted: Array<[string, string, Buffer]> = [
    ['png image', 'image/png', fakeFile('png')],
    ['mp4 video', 'video/mp4', fakeFile('mp4')],
    ['plain text document', 'text/plain', fakeFile('text')],
    ['6 MB pdf (over the image cap, under the document cap)', 'application/pdf', fakeFile('pdf', 6 * MB)],
    ['animated sticker of 400 KB', 'image/webp', fakeFile('animated-webp', 400 * 1024)],
    ['static sticker of 100 KB', 'image/webp', fakeFile('webp', 100 * 1024)],
  ];
  it.each(accepted)('accepts a %s', async (_label, type, bytes) => {
    const res = await upload({ messaging_product: 'whatsapp', type }, { filename: 'f', type, bytes });
    expect(res.statusCode).toBe(200);
    expect(h.ctx.state.media.get(res.json().id)?.bytes.length).toBe(bytes.length);
  });

  const refused: Array<[string, string, Buffer, string, number]> = [
    ['unsupported type (gif)', 'image/gif', Buffer.from('GIF89a' + 'x'.repeat(100)), 'image/gif', 131053],
    ['content that is not what the type says', 'image/png', fakeFile('jpeg'), 'image/png', 131053],
    ['type field different from the file part', 'image/png', fakeFile('png'), 'image/jpeg', 131053],
    ['image over 5 MB', 'image/jpeg', fakeFile('jpeg', 5 * MB + 1), 'image/jpeg', 131053],
    ['static sticker over 100 KB', 'image/webp', fakeFile('webp', 100 * 1024 + 1), 'image/webp', 131053],
    ['animated sticker over 500 KB', 'image/webp', fakeFile('animated-webp', 500 * 1024 + 1), 'image/webp', 131053],
    ['empty file', 'text/plain', Buffer.alloc(0), 'text/plain', 131053],
  ];
  it.each(refused)('refuses %s', async (_label, type, bytes, partType, code) => {
    const res = await upload({ messaging_product: 'whatsapp', type }, { filename: 'f', type: partType, bytes });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(h.ctx.state.media.size).toBe(0);
  });

  it('requires messaging_product, a file, multipart, a known number and access to it', async () => {
    const file = { filename: 'a.jpg', type: 'image/jpeg', bytes: fakeFile('jpeg') };
    expect((await upload({ type: 'image/jpeg' }, file)).json().error.code).toBe(100);
    expect((await upload({ messaging_product: 'whatsapp', type: 'image/jpeg' })).json().error.code).toBe(100);
    const json = await h.call('POST', `/${PHONE_ID}/media`, { messaging_product: 'whatsapp' });
    expect(json.json().error.code).toBe(100);
    expect((await upload({ messaging_product: 'whatsapp', type: 'image/jpeg' }, file, '600000000000999')).json().error).toMatchObject({ code: 100, error_subcode: 33 });
    h.ctx.state.tokens.get(TOKEN)!.wabaIds = [];
    expect((await upload({ messaging_product: 'whatsapp', type: 'image/jpeg' }, file)).statusCode).toBe(403);
  });
});
