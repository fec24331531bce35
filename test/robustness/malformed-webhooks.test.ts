// Signed webhook bodies that are not what Meta documents — not JSON, JSON of the wrong shape, binary,
// nearly 3 MB — are acknowledged (200) and stored, so Meta does not retry them forever, and the worker
// gets through them without crashing: a good webhook next to them is still applied. Above 3 MB → 413.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './processes.js';
import { envelope, inboundText } from './payloads.js';
import { SANDBOX_NUMBER } from './tenant.js';
import { startWorld, type World } from './world.js';

/** Bodies Meta would never send, each signed correctly. */
const MALFORMED: Array<[string, string | Buffer]> = [
  ['not JSON', 'this is {not json'],
  ['empty', ''],
  ['JSON null', 'null'],
  ['a JSON string', '"hello"'],
  ['a JSON array', '[1,2,3]'],
  ['entry not an array', JSON.stringify({ object: 'whatsapp_business_account', entry: 'nope' })],
  ['changes of the wrong types', envelope([{ field: 7, value: [] }, null, 'x'])],
  ['a message without id or sender', envelope([{ field: 'messages', value: { metadata: { phone_number_id: SANDBOX_NUMBER.phoneNumberId }, messages: [{ type: 'text' }] } }])],
  ['statuses of the wrong shape', envelope([{ field: 'messages', value: { metadata: { phone_number_id: SANDBOX_NUMBER.phoneNumberId }, statuses: [{ id: 5, status: 'exploded', timestamp: 'soon' }] } }])],
  ['an unknown number', inboundText('wamid.unknown-number', '447911123099', 'hi').replace(SANDBOX_NUMBER.phoneNumberId, '699999999999999')],
  ['deeply nested', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['binary with NUL bytes', Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x00, 0x22, 0x7d])],
];

/** ~2.9 MB: a change whose text message is huge (Meta caps at 3 MB per POST). */
function nearlyThreeMegabytes(): string {
  const body = inboundText('wamid.huge', '447911123021', 'x'.repeat(2_900_000));
  expect(body.length).toBeLessThanOrEqual(3 * 1024 * 1024);
  return body;
}

describe.each(['sqlite', 'postgres'] as const)('malformed webhook bodies [%s]', (kind) => {
  let world: World;
  beforeAll(async () => { world = await startWorld({ kind }); }, 30_000);
  afterAll(async () => { await world?.close(); });

  const events = () => world.tdb.database.db.selectFrom('webhook_events').select(['id', 'status', 'payload', 'last_error']).execute();

  it('acknowledges and stores each one, and the worker gets through them all', { timeout: 60_000 }, async () => {
    const before = (await events()).length;
    const good = inboundText('wamid.robust-good-1', '447911123020', 'still here');
    // All at once, so they share the intake's group commit with the good one.
    const answers = await Promise.all([...MALFORMED.map(([, raw]) => world.postWebhook(raw)), world.postWebhook(good), world.postWebhook(nearlyThreeMegabytes())]);
    const labels = [...MALFORMED.map(([label]) => label), 'good', 'nearly 3 MB'];
    expect(Object.fromEntries(answers.map((a, i) => [labels[i], a.status]))).toEqual(Object.fromEntries(labels.map((l) => [l, 200])));
    expect((await events()).length - before).toBe(labels.length);

    const settled = await waitFor('every event processed', async () => {
      const all = await events();
      return all.every((e) => e.status === 'done' || e.status === 'failed') ? all : undefined;
    }, 30_000);
    expect(settled.filter((e) => e.status === 'failed').map((e) => e.last_error)).toEqual([]);
    // The binary body is kept byte-exact (PostgreSQL text cannot hold NUL, so it is stored as base64).
    const binary = MALFORMED.find(([label]) => label.startsWith('binary'))![1] as Buffer;
    const stored = settled.filter((e) => e.payload.startsWith('base64:')).map((e) => Buffer.from(e.payload.slice(7), 'base64'));
    expect(stored.some((b) => b.equals(binary))).toBe(true);
    const db = world.tdb.database.db;
    const texts = await db.selectFrom('messages').select(['wamid', 'content']).where('wamid', 'in', ['wamid.robust-good-1', 'wamid.huge']).execute();
    expect(texts.map((t) => t.wamid).sort()).toEqual(['wamid.huge', 'wamid.robust-good-1']);
    expect(await db.selectFrom('messages').select('id').where('wamid', '=', 'wamid.unknown-number').execute()).toEqual([]);
  });

  it('still applies a good webhook after them (the worker is alive)', async () => {
    expect((await world.postWebhook(inboundText('wamid.robust-good-2', '447911123020', 'and again'))).status).toBe(200);
    await waitFor('the message stored', async () =>
      (await world.tdb.database.db.selectFrom('messages').select('id').where('wamid', '=', 'wamid.robust-good-2').execute()).length === 1, 10_000);
  });

  it('refuses a body over 3 MB with 413 and stores nothing', async () => {
    const before = (await events()).length;
    const res = await world.postWebhook(inboundText('wamid.too-big', '447911123022', 'y'.repeat(3 * 1024 * 1024)));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await events()).length).toBe(before);
  });
});
