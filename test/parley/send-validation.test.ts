// Requests Meta would always refuse are refused by Parley before anything is stored or sent: a
// contact card with formattedName alone (131008 at Meta); a `mediaId` is Parley's media id,
// resolved to the Meta id of the sending inbox (Parley's own id fails at Meta with 131053), and one
// unknown in the workspace, of another inbox or of the wrong type is a 4xx. Real HTTP with the sandbox.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { createInbox } from '../../src/store/queries/inboxes.js';
import { insertMedia } from '../../src/store/queries/media.js';
import { eventually, startHarness, type Harness } from './harness.js';
import { createCustomer, hasStatus, sandboxSends, sendOk, waitForMessage } from './steps.js';

/** A valid 1×1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

async function upload(bytes: Buffer, type: string, filename: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  const res = await fetch(`${h.parley.url}/api/v1/media`, { method: 'POST', body: form, headers: { authorization: `Bearer ${h.parley.demo!.apiKey}` } });
  return { status: res.status, body: await res.json() };
}

/** The customer writes first, so free-form messages are allowed. */
async function openWindow(waId: string): Promise<void> {
  await createCustomer(h.sandbox, waId, 'attentive');
  expect((await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text: 'hello' })).status).toBeLessThan(300);
  await eventually(async () => {
    const contact = ((await h.api.get('/api/v1/contacts?limit=200')).body.items as Array<{ id: string; waId: string }>).find((c) => c.waId === waId);
    const conv = contact && (await h.api.get(`/api/v1/conversations?contactId=${contact.id}`)).body.items[0];
    return conv?.windowOpen;
  }, { what: `window open for ${waId}` });
}

async function sentRequestOf(messageId: string) {
  const sent = await waitForMessage(h.api, messageId, hasStatus('sent', 'delivered', 'read'));
  const requests = (await sandboxSends(h.sandbox)).filter((r) => r.body?.biz_opaque_callback_data === messageId);
  expect(requests.map((r) => r.status)).toEqual([200]);
  return { sent, body: requests[0]!.body };
}

describe('contact cards', () => {
  const to = '447400124001';
  beforeAll(async () => { await openWindow(to); });

  it('refuses a card with formattedName alone with 400, stores and sends nothing', async () => {
    const before = (await sandboxSends(h.sandbox)).length;
    const res = await h.api.post('/api/v1/messages', { to: `+${to}`, content: { type: 'contacts', contacts: [{ name: { formattedName: 'Ann Lee' } }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.issues.map((i: { code: string }) => i.code)).toEqual(['contact_name_part_missing']);
    expect(res.body.error.message).toMatch(/contacts\[0\]\.name needs one of firstName/);
    expect((await sandboxSends(h.sandbox)).length).toBe(before);
  });

  it('refuses unknown card fields and a malformed birthday with 400', async () => {
    const card = { name: { formattedName: 'Ann Lee', firstName: 'Ann' } };
    for (const bad of [{ ...card, nickname: 'A' }, { ...card, birthday: '12/31/1990' }, { ...card, phones: [{ phone: '+1', extra: 1 }] }]) {
      const res = await h.api.post('/api/v1/messages', { to: `+${to}`, content: { type: 'contacts', contacts: [bad] } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('delivers a card with a name part, as Meta expects it on the wire', async () => {
    const card = { name: { formattedName: 'Ann Lee', firstName: 'Ann', lastName: 'Lee' }, phones: [{ phone: '+44 7400 124999', type: 'CELL' }], birthday: '1990-12-31' };
    const queued = await sendOk(h.api, `+${to}`, { type: 'contacts', contacts: [card] });
    const { body } = await sentRequestOf(queued.id);
    expect(body.contacts).toEqual([{
      name: { formatted_name: 'Ann Lee', first_name: 'Ann', last_name: 'Lee' }, phones: [{ phone: '+44 7400 124999', type: 'CELL' }], birthday: '1990-12-31',
    }]);
  });
});

describe('media by Parley id', () => {
  const to = '447400124002';
  beforeAll(async () => { await openWindow(to); });

  it('sends an upload by its Parley id: the sandbox receives the Meta media id', async () => {
    const up = await upload(PNG, 'image/png', 'dot.png');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.id).not.toBe(up.body.metaMediaId);
    const queued = await sendOk(h.api, `+${to}`, { type: 'image', mediaId: up.body.id, caption: 'Here' });
    expect(queued.content).toMatchObject({ mediaId: up.body.id, metaMediaId: up.body.metaMediaId });
    const { body } = await sentRequestOf(queued.id);
    expect(body.image).toEqual({ id: up.body.metaMediaId, caption: 'Here' });
  });

  it('resolves a Parley id in an interactive header too', async () => {
    const up = await upload(PNG, 'image/png', 'head.png');
    const queued = await sendOk(h.api, `+${to}`, { type: 'buttons', body: 'Pick', header: { type: 'image', mediaId: up.body.id }, buttons: [{ id: 'a', title: 'A' }] });
    const { body } = await sentRequestOf(queued.id);
    expect(body.interactive.header).toEqual({ type: 'image', image: { id: up.body.metaMediaId } });
  });

  it('refuses an unknown media id with 404 media_not_found, and a PNG as a sticker with 400 media_not_usable', async () => {
    const unknown = await h.api.post('/api/v1/messages', { to: `+${to}`, content: { type: 'image', mediaId: 'med_doesnotexist' } });
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(404);
    expect(unknown.body.error.code).toBe('media_not_found');
    expect(unknown.body.error.message).toMatch(/POST \/api\/v1\/media/);
    const up = await upload(PNG, 'image/png', 'not-a-sticker.png');
    const sticker = await h.api.post('/api/v1/messages', { to: `+${to}`, content: { type: 'sticker', mediaId: up.body.id } });
    expect(sticker.status, JSON.stringify(sticker.body)).toBe(400);
    expect(sticker.body.error.code).toBe('media_not_usable');
  });

  it('treats media of another workspace as unknown, and media of another inbox as not usable', async () => {
    const { db } = h.parley.deps.database;
    const demo = h.parley.demo!;
    const other = await createWorkspace(db, { name: 'Other' });
    const foreign = await insertMedia(db, other.id, { direction: 'out', metaMediaId: '999000111', mimeType: 'image/png', size: 1 });
    const res = await h.api.post('/api/v1/messages', { to: `+${to}`, content: { type: 'image', mediaId: foreign.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.body.error.code).toBe('media_not_found');

    const second = await createInbox(db, demo.workspaceId, { phoneNumberId: '600000000000777', wabaId: '700000000000001', displayPhoneNumber: '+1 555-000-7777' }, h.parley.deps.secretKey);
    const theirs = await insertMedia(db, demo.workspaceId, { inboxId: second.id, direction: 'out', metaMediaId: '999000222', mimeType: 'image/png', size: 1 });
    const wrongInbox = await h.api.post('/api/v1/messages', { inboxId: demo.inboxId, to: `+${to}`, content: { type: 'image', mediaId: theirs.id } });
    expect(wrongInbox.status, JSON.stringify(wrongInbox.body)).toBe(400);
    expect(wrongInbox.body.error.code).toBe('media_not_usable');
    expect(wrongInbox.body.error.message).toMatch(/another inbox/);
  });
});
