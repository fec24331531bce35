import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignature, signPayload, verifySignature } from './signature.js';

const SECRET = 'app-secret-123';

/** Serialises like Meta: every code unit above U+007F escaped as lowercase \uXXXX. */
function metaStringify(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

describe('signPayload', () => {
  it('matches an independent HMAC-SHA256 computation, lowercase hex', () => {
    const body = '{"object":"whatsapp_business_account"}';
    const expected = createHmac('sha256', SECRET).update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signPayload(body, SECRET)).toBe(`sha256=${expected}`);
    expect(signPayload(Buffer.from(body), SECRET)).toBe(`sha256=${expected}`);
  });
});

describe('checkSignature', () => {
  const body = Buffer.from('{"entry":[{"id":"1"}]}');
  const good = signPayload(body, SECRET);
  const hex = good.slice('sha256='.length);

  it.each([
    ['valid lowercase', good, { ok: true, digest: hex }],
    ['valid uppercase hex (digest in lowercase)', `sha256=${hex.toUpperCase()}`, { ok: true, digest: hex }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
    ['empty', '', { ok: false, reason: 'missing' }],
    ['repeated header', [good, good], { ok: false, reason: 'malformed' }],
    ['sha1 prefix', `sha1=${hex}`, { ok: false, reason: 'malformed' }],
    ['no prefix', hex, { ok: false, reason: 'malformed' }],
    ['prefix in capitals', `SHA256=${hex}`, { ok: false, reason: 'malformed' }],
    ['too short', `sha256=${hex.slice(2)}`, { ok: false, reason: 'malformed' }],
    ['too long', `sha256=${hex}00`, { ok: false, reason: 'malformed' }],
    ['odd length', `sha256=${hex}0`, { ok: false, reason: 'malformed' }],
    ['non-hex of the right length', `sha256=${'z'.repeat(64)}`, { ok: false, reason: 'malformed' }],
    ['space padded', ` ${good}`, { ok: false, reason: 'malformed' }],
    ['other body signature', signPayload('{}', SECRET), { ok: false, reason: 'mismatch' }],
    ['wrong secret', signPayload(body, 'other-secret'), { ok: false, reason: 'mismatch' }],
  ] as const)('%s', (_name, header, expected) => {
    expect(checkSignature(body, header as string | string[] | undefined, SECRET)).toEqual(expected);
  });

  it('detects a single flipped byte in the body', () => {
    const tampered = Buffer.from(body);
    tampered[3] = tampered[3]! ^ 1;
    expect(verifySignature(tampered, good, SECRET)).toBe(false);
    expect(verifySignature(body, good, SECRET)).toBe(true);
  });
});

describe('escaped non-ASCII bodies', () => {
  const payload = { entry: [{ changes: [{ value: { messages: [{ text: { body: 'äöå — Привет 👋' } }] } }] }] };
  const escaped = Buffer.from(metaStringify(payload), 'utf8');
  const decoded = Buffer.from(JSON.stringify(payload), 'utf8');

  it('the escaped wire body is pure ASCII and parses to the same value', () => {
    expect(escaped.every((b) => b < 0x80)).toBe(true);
    expect(escaped.toString()).toContain('\\u00e4\\u00f6\\u00e5');
    expect(JSON.parse(escaped.toString())).toEqual(payload);
  });

  it('verifies over the raw escaped bytes, and not over a re-serialisation of the parsed JSON', () => {
    const header = signPayload(escaped, SECRET);
    expect(verifySignature(escaped, header, SECRET)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(escaped.toString())), 'utf8');
    expect(reserialised.equals(decoded)).toBe(true);
    expect(verifySignature(reserialised, header, SECRET)).toBe(false);
  });
});
