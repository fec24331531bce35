// CSAT's writes and its report on both databases, over real HTTP with the sandbox as the Cloud API:
// the survey row and its question are stored together or not at all (a fault injected in the
// database between them leaves neither), a skipped survey does not count as asked and does not stop
// a later one, and GET /csat counts the skipped ones by reason. The demo's sandbox (as `npm start`
// runs it) has an approved rating template, so CSAT outside the window works without making one.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { apiKeyHeaders, customerWrites, put } from './assignment-steps.js';
import { conversationMessages, sandboxSends } from './steps.js';

const HOUR = 3600_000;

interface Survey { id: string; status: string; reason: string | null; channel: string | null; messageId: string | null }

describe.each<DbKind>(['sqlite', 'postgres'])('CSAT outcomes (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db: kind });
    const saved = await put(h, '/api/v1/csat/settings', { enabled: true, language: 'en', question: 'How did we do? Pick 1 to 5.', template: null }, apiKeyHeaders(h));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  });
  afterAll(async () => { await h?.close(); });

  const db = () => h.parley.deps.database.db;
  const resolve = async (id: string) => {
    const res = await h.api.patch(`/api/v1/conversations/${id}`, { state: 'resolved' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe('resolved');
  };
  const surveys = async (id: string): Promise<Survey[]> => (await h.api.get(`/api/v1/conversations/${id}/csat`)).body.items;
  const outbound = async (id: string) => (await conversationMessages(h.api, id)).filter((m) => m.direction === 'out');
  const outboxRows = async (conversationId: string) => (await db().selectFrom('outbox').innerJoin('messages', 'messages.id', 'outbox.message_id')
    .select('outbox.id').where('messages.conversation_id', '=', conversationId).execute()).length;

  /** A real fault of the database on inserts into `table` (rows matching `when`), for the span of `fn`. */
  async function failingInserts<T>(table: 'messages' | 'csat_surveys', when: string, fn: () => Promise<T>): Promise<T> {
    const name = `injected_fault_${table}`;
    if (kind === 'sqlite') {
      await sql.raw(`create trigger ${name} before insert on ${table} when ${when} begin select raise(abort, 'injected fault'); end`).execute(db());
    } else {
      await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'injected fault'; end $$`).execute(db());
      await sql.raw(`create trigger ${name} before insert on ${table} for each row when (${when}) execute function ${name}()`).execute(db());
    }
    try {
      return await fn();
    } finally {
      await sql.raw(`drop trigger ${name}${kind === 'postgres' ? ` on ${table}` : ''}`).execute(db());
      if (kind === 'postgres') await sql.raw(`drop function ${name}()`).execute(db());
    }
  }

  it('a fault while storing the question leaves no survey row (nothing "asked" without a message); the next resolve asks', async () => {
    const waId = '447400231001';
    const c = await customerWrites(h, waId, 'Where is my order?');
    await failingInserts('messages', "new.type = 'list'", () => resolve(c));
    expect(await surveys(c)).toEqual([]);
    expect(await outbound(c)).toEqual([]);
    expect(await outboxRows(c)).toBe(0);

    // Nothing was asked, so the same day's next resolve asks (and this time both are stored).
    await customerWrites(h, waId, 'Still waiting');
    await resolve(c);
    const [survey] = await surveys(c);
    expect(survey).toMatchObject({ status: 'asked', channel: 'interactive', messageId: expect.any(String) });
    expect((await outbound(c)).map((m) => m.id)).toEqual([survey!.messageId]);
  });

  it('a fault while storing the survey row leaves no question queued either', async () => {
    const waId = '447400231002';
    const c = await customerWrites(h, waId, 'Thanks!');
    await failingInserts('csat_surveys', "new.status = 'asked'", () => resolve(c));
    expect(await surveys(c)).toEqual([]);
    expect(await outbound(c)).toEqual([]);
    expect(await outboxRows(c)).toBe(0);
    expect((await sandboxSends(h.sandbox)).filter((r) => r.body?.to === waId)).toEqual([]);
  });

  it('a skipped survey (not seen by the customer) does not stop a survey the same day; the report counts skipped ones by reason', async () => {
    const from = Date.now();
    const waId = '447400231003';
    // The customer last wrote 25 hours ago: outside the window, no template set → skipped.
    const c = await customerWrites(h, waId, 'Old question', Date.now() - 25 * HOUR);
    await resolve(c);
    expect(await surveys(c)).toMatchObject([{ status: 'skipped', reason: 'window_closed', channel: null, messageId: null }]);

    // The customer writes again within the hour: this resolve asks, the skipped one is no bar.
    await customerWrites(h, waId, 'New question');
    await resolve(c);
    const [latest, earlier] = await surveys(c);
    expect(earlier).toMatchObject({ status: 'skipped', reason: 'window_closed' });
    expect(latest).toMatchObject({ status: 'asked', channel: 'interactive', messageId: expect.any(String) });

    // Refused by a sending rule: stored as refused with its reason, not sent, counted as skipped.
    const blockedWaId = '447400231004';
    const b = await customerWrites(h, blockedWaId, 'Bye');
    const contactId = (await h.api.get(`/api/v1/conversations/${b}`)).body.contact.id;
    expect((await h.api.patch(`/api/v1/contacts/${contactId}`, { blocked: true })).status).toBe(200);
    await resolve(b);
    const [refused] = await surveys(b);
    expect(refused).toMatchObject({ status: 'skipped', reason: 'contact_blocked', channel: 'interactive', messageId: expect.any(String) });

    const report = await h.api.get(`/api/v1/csat?from=${from}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    // Only this test's surveys are in the period: one asked, two skipped.
    expect(report.body).toMatchObject({ asked: 1, answered: 0, skipped: 2, responseRate: 0 });
    expect(report.body.skippedByReason).toEqual([{ reason: 'contact_blocked', count: 1 }, { reason: 'window_closed', count: 1 }]);
  });
  it('the demo sandbox has an approved rating template (en and ru): chosen in the settings, it asks outside the window', async () => {
    const synced = await eventually(async () => {
      const res = await h.api.get('/api/v1/templates?name=csat_rating&status=APPROVED&limit=10');
      return res.body.items?.length === 2 ? res.body.items as Array<{ language: string }> : undefined;
    }, { timeoutMs: 15_000, what: 'the demo rating templates synced' });
    expect(synced.map((t) => t.language).sort()).toEqual(['en_US', 'ru']);
    for (const language of ['ru', 'en_US']) {
      const saved = await put(h, '/api/v1/csat/settings', { enabled: true, language: 'en', question: 'How did we do? Pick 1 to 5.', template: { name: 'csat_rating', language } }, apiKeyHeaders(h));
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }

    const waId = '447400231005';
    const c = await customerWrites(h, waId, 'Is it in stock?', Date.now() - 25 * HOUR);
    await resolve(c);
    const [survey] = await surveys(c);
    expect(survey).toMatchObject({ status: 'asked', channel: 'template', messageId: expect.any(String) });
    const sent = await eventually(async () => (await sandboxSends(h.sandbox)).find((r) => r.body?.to === waId && r.body?.type === 'template'), { what: 'the template at the sandbox' });
    expect(sent.body.template).toMatchObject({ name: 'csat_rating', language: { code: 'en_US' } });
    expect(sent.body.template.components).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `csat:${survey!.id}:5` }] }),
      expect.objectContaining({ type: 'button', sub_type: 'quick_reply', index: '4', parameters: [{ type: 'payload', payload: `csat:${survey!.id}:1` }] }),
    ]));
    expect(sent.response?.messages?.[0]?.id, JSON.stringify(sent.response)).toEqual(expect.any(String));
  });
});
