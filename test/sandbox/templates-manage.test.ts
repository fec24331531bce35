// Template management after creation: list with filters and cursor paging, get by id with fields,
// Meta's edit rules (status, category, 1 per 24 h / 10 per 30 days, re-review) and delete.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMgmt, WABA_ID, type Mgmt } from './mgmt-harness.js';

const REVIEW_MS = 1000;
const DAY = 24 * 3600_000;
let h: Mgmt;

beforeEach(async () => { h = await startMgmt({ options: { templateReviewDelayMs: REVIEW_MS } }); });
afterEach(async () => { await h.close(); });

const body = (text: string) => ({ type: 'BODY', text, example: { body_text: [['Ann']] } });

async function create(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.call('POST', `/${WABA_ID}/message_templates`, {
    name, language: 'en_US', category: 'UTILITY', components: [body(`Hello {{1}}, your ${name.replace(/_/g, ' ')} is ready at our store today.`)], ...extra,
  });
  expect(res.statusCode).toBe(200);
  return res.json().id as string;
}

function idByName(name: string, language = 'en_US'): string {
  return [...h.ctx.state.templates.values()].find((t) => t.name === name && t.language === language)!.id;
}

describe('GET /{waba-id}/message_templates', () => {
  it('lists with Meta\'s default fields and filters by name, status, category, language and content', async () => {
    await create('pickup_notice');
    const all = (await h.call('GET', `/${WABA_ID}/message_templates`)).json();
    expect(all.data).toHaveLength(4);
    expect(Object.keys(all.data[0]).sort()).toEqual(['category', 'components', 'id', 'language', 'name', 'parameter_format', 'status']);
    const names = async (query: string) => ((await h.call('GET', `/${WABA_ID}/message_templates?${query}`)).json().data as Array<{ name: string; language: string }>).map((t) => `${t.name}/${t.language}`).sort();
    expect(await names('name=order')).toEqual(['order_update/en_US', 'order_update/ru']);
    expect(await names('status=pending')).toEqual(['pickup_notice/en_US']);
    expect(await names('status=APPROVED&language=ru')).toEqual(['order_update/ru']);
    expect(await names('category=marketing')).toEqual([]);
    expect(await names('name_or_content=on%20its%20way')).toEqual(['order_update/en_US']);
    const fields = (await h.call('GET', `/${WABA_ID}/message_templates?fields=name,quality_score&limit=1`)).json();
    expect(fields.data[0]).toEqual({ name: 'pickup_notice', quality_score: { score: 'UNKNOWN', date: expect.any(Number) }, id: expect.any(String) });
  });

  it('pages with after/before cursors and a next link', async () => {
    for (let i = 0; i < 4; i++) { await create(`notice_${i}`); h.clock.advance(10); }
    const seen: string[] = [];
    let url = `/${WABA_ID}/message_templates?limit=3&fields=name`;
    let pages = 0;
    let firstPageAfter = '';
    for (;;) {
      const page = (await h.call('GET', url)).json();
      pages += 1;
      seen.push(...page.data.map((t: { id: string; name: string }) => `${t.name}#${t.id}`));
      if (pages === 1) firstPageAfter = page.paging.cursors.after;
      if (!page.paging.next) break;
      const next = new URL(page.paging.next);
      expect(next.pathname).toBe(`/v23.0/${WABA_ID}/message_templates`);
      url = `/${WABA_ID}/message_templates${next.search}`;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice(0, 4).map((s) => s.split('#')[0])).toEqual(['notice_3', 'notice_2', 'notice_1', 'notice_0']);
    const back = (await h.call('GET', `/${WABA_ID}/message_templates?limit=3&fields=name&before=${(await h.call('GET', `/${WABA_ID}/message_templates?limit=3&after=${firstPageAfter}`)).json().paging.cursors.before}`)).json();
    expect(back.data.map((t: { id: string; name: string }) => `${t.name}#${t.id}`)).toEqual(seen.slice(0, 3));
    const bad = await h.call('GET', `/${WABA_ID}/message_templates?after=bm9wZQ`);
    expect(bad.json().error.code).toBe(100);
    const badStatus = await h.call('GET', `/${WABA_ID}/message_templates?status=sleeping`);
    expect(badStatus.json().error.code).toBe(100);
  });
});

describe('GET /{template-id}', () => {
  it('returns the template, or only the asked fields, and refuses unknown fields', async () => {
    const id = idByName('order_update');
    const full = (await h.call('GET', `/${id}`)).json();
    expect(full).toMatchObject({ id, name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'POSITIONAL', rejected_reason: 'NONE' });
    expect((await h.call('GET', `/${id}?fields=status`)).json()).toEqual({ status: 'APPROVED', id });
    const bad = await h.call('GET', `/${id}?fields=status,colour`);
    expect(bad.json().error.message).toContain('nonexisting field (colour)');
  });
});

describe('POST /{template-id} (edit)', () => {
  const newComponents = [body('Hi {{1}}, your parcel has been dispatched and arrives tomorrow.')];

  it('replaces components of an approved template, re-reviews it, and allows one edit per 24 h', async () => {
    const id = idByName('order_update');
    const edit = await h.call('POST', `/${id}`, { components: newComponents });
    expect(edit.json()).toEqual({ success: true });
    const t = h.ctx.state.templates.get(id)!;
    expect(t.status).toBe('PENDING');
    expect(t.components).toEqual(newComponents);
    h.clock.advance(REVIEW_MS);
    expect(t.status).toBe('APPROVED');
    const again = await h.call('POST', `/${id}`, { components: [body('Hi {{1}}, your parcel is with the courier and arrives tomorrow.')] });
    expect(again.json().error.code).toBe(100);
    expect(again.json().error.error_data.details).toContain('24 hours');
    h.clock.advance(DAY);
    expect((await h.call('POST', `/${id}`, { components: [body('Hi {{1}}, your parcel is with the courier and arrives tomorrow.')] })).statusCode).toBe(200);
  });

  it('allows 10 approved edits in 30 days, not 11', async () => {
    const id = idByName('order_update');
    for (let i = 0; i < 10; i++) {
      const res = await h.call('POST', `/${id}`, { components: [body(`Hi {{1}}, update number ${i} about your parcel arriving tomorrow.`)] });
      expect(res.statusCode).toBe(200);
      h.clock.advance(DAY + REVIEW_MS);
    }
    const eleventh = await h.call('POST', `/${id}`, { components: [body('Hi {{1}}, the eleventh update about your parcel arriving tomorrow.')] });
    expect(eleventh.json().error.error_data.details).toContain('10 times in 30 days');
  });

  it('refuses a category change on an approved template but allows it on a rejected one', async () => {
    const id = idByName('order_update');
    expect((await h.call('POST', `/${id}`, { category: 'MARKETING' })).json().error.error_data.details).toContain('category');
    const rejected = await create('bad_one', { components: [{ type: 'BODY', text: 'Hello {{1}}{{2}}, your order is ready for pickup at our store today.', example: { body_text: [['a', 'b']] } }] });
    h.clock.advance(REVIEW_MS);
    expect(h.ctx.state.templates.get(rejected)!.status).toBe('REJECTED');
    const fix = await h.call('POST', `/${rejected}`, { category: 'MARKETING', components: newComponents });
    expect(fix.json()).toEqual({ success: true });
    h.clock.advance(REVIEW_MS);
    expect(h.ctx.state.templates.get(rejected)).toMatchObject({ status: 'APPROVED', category: 'MARKETING' });
  });

  it('answers 2388039 while the template is PENDING, and validates the new components', async () => {
    const id = await create('fresh_one');
    const pending = await h.call('POST', `/${id}`, { components: newComponents });
    expect(pending.json().error).toMatchObject({ code: 100, error_subcode: 2388039 });
    const approved = idByName('order_update');
    const bad = await h.call('POST', `/${approved}`, { components: [body('{{1}} is the start of this body text for you.')] });
    expect(bad.json().error.error_subcode).toBe(2388299);
    const rename = await h.call('POST', `/${approved}`, { name: 'other_name' });
    expect(rename.json().error.code).toBe(100);
  });
});

describe('DELETE /{waba-id}/message_templates', () => {
  it('deletes every language by name, or one language with hsm_id', async () => {
    const ru = idByName('order_update', 'ru');
    const one = await h.call('DELETE', `/${WABA_ID}/message_templates?name=order_update&hsm_id=${ru}`);
    expect(one.json()).toEqual({ success: true });
    expect(h.ctx.state.templates.has(ru)).toBe(false);
    expect(h.ctx.state.templates.has(idByName('order_update'))).toBe(true);
    await create('order_update_v2');
    expect((await h.call('DELETE', `/${WABA_ID}/message_templates?name=order_update`)).json()).toEqual({ success: true });
    expect([...h.ctx.state.templates.values()].map((t) => t.name).sort()).toEqual(['hello_world', 'order_update_v2']);
    expect((await h.call('GET', `/${ru}`)).json().error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('refuses disabled templates, unknown names and a missing name', async () => {
    h.ctx.state.templates.get(idByName('hello_world'))!.status = 'DISABLED';
    expect((await h.call('DELETE', `/${WABA_ID}/message_templates?name=hello_world`)).json().error.code).toBe(100);
    expect(h.ctx.state.templates.has(idByName('hello_world'))).toBe(true);
    expect((await h.call('DELETE', `/${WABA_ID}/message_templates?name=nope`)).json().error.code).toBe(100);
    expect((await h.call('DELETE', `/${WABA_ID}/message_templates`)).json().error.code).toBe(100);
  });
});
