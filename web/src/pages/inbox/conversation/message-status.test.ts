// Status ticks and failure reasons: every Meta code and deny reason the pane explains has its words
// in both catalogs, and unknown ones fall back instead of showing a raw key.
import { describe, expect, it } from 'vitest';
import en from '../../../i18n/en/conversation.js';
import ru from '../../../i18n/ru/conversation.js';
import { DENY_REASONS, META_CODES, denyReasonKey, failureOf, metaCodeKey, tickOf, type StatusFacts } from './message-status.js';

const out = (status: string, extra: Partial<StatusFacts> = {}): StatusFacts => ({ direction: 'out', status, ...extra });

describe('tickOf', () => {
  it.each([
    ['queued', 'queued'], ['sent', 'sent'], ['delivered', 'delivered'], ['read', 'read'],
    ['failed', 'failed'], ['denied', 'failed'], ['something_new', 'queued'],
  ] as const)('%s → %s', (status, tick) => {
    expect(tickOf(out(status))).toBe(tick);
  });
  it('shows no tick on customer messages', () => {
    expect(tickOf({ direction: 'in', status: 'received' })).toBe('none');
  });
});

describe('failureOf', () => {
  const err = (code: number | null, title: string | null = null, details: string | null = null) => ({ code, title, details });
  it.each([
    [131047, 'conversation.error.131047'], [131026, 'conversation.error.131026'], [131049, 'conversation.error.131049'],
    [131050, 'conversation.error.131050'], [130472, 'conversation.error.130472'], [131056, 'conversation.error.131056'],
    [130429, 'conversation.error.130429'], [132001, 'conversation.error.132001'], [132015, 'conversation.error.132015'],
    [132999, 'conversation.error.template'], [132123, 'conversation.error.template'], [999999, 'conversation.error.unknown'],
    [null, 'conversation.error.unknown'],
  ] as const)('Meta code %s → %s', (code, key) => {
    const f = failureOf(out('failed', { error: err(code, 'Meta title', 'Meta details') }));
    expect(f).toEqual({ key, code, detail: 'Meta title: Meta details', denied: false });
  });

  it('keeps Meta title alone when there are no details, and nothing when both are empty', () => {
    expect(failureOf(out('failed', { error: err(131026, 'Message undeliverable') }))?.detail).toBe('Message undeliverable');
    expect(failureOf(out('failed', { error: err(131026, '', ' ') }))?.detail).toBeNull();
  });

  it.each(DENY_REASONS.map((r) => [r]))('policy denial %s → its own text', (reason) => {
    const f = failureOf(out('denied', { policy: { allow: false, reason, rule: 'x', message: 'y' } }));
    expect(f).toEqual({ key: `conversation.deny.${reason}`, code: null, detail: null, denied: true });
  });

  it('an unknown deny reason falls back', () => {
    expect(failureOf(out('denied', { policy: { allow: false, reason: 'new_rule' } }))?.key).toBe('conversation.deny.unknown');
    expect(failureOf(out('denied', { policy: null }))?.key).toBe('conversation.deny.unknown');
  });

  it('is null for messages that did not fail', () => {
    for (const s of ['queued', 'sent', 'delivered', 'read']) expect(failureOf(out(s, { policy: { allow: true } }))).toBeNull();
    expect(failureOf({ direction: 'in', status: 'received' })).toBeNull();
  });
});

describe('catalogs', () => {
  it('en and ru have the same keys, none empty', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of [...Object.entries(en), ...Object.entries(ru)]) expect(v.trim(), k).not.toBe('');
  });

  it('the Russian catalog is translated (not English copied over)', () => {
    const same = Object.keys(en).filter((k) => en[k as keyof typeof en] === ru[k as keyof typeof ru] && /[a-z]{4}/i.test(en[k as keyof typeof en]));
    expect(same).toEqual([]);
  });

  it('every explained code and reason has words', () => {
    const keys = [...META_CODES.map((c) => metaCodeKey(c)), ...DENY_REASONS.map(denyReasonKey),
      'conversation.error.template', 'conversation.error.unknown', 'conversation.deny.unknown'];
    for (const k of keys) {
      expect(en, k).toHaveProperty([k]);
      expect(ru, k).toHaveProperty([k]);
    }
  });
});
