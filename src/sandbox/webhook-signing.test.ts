import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { serialiseWebhook, signWebhook } from './webhook-signing.js';

describe('serialiseWebhook', () => {
  it.each([
    ['ascii stays as JSON.stringify', { a: 'plain "quoted" / text' }, '{"a":"plain \\"quoted\\" / text"}'],
    ["Meta's example äöå", { s: 'äöå' }, '{"s":"\\u00e4\\u00f6\\u00e5"}'],
    ['Cyrillic, lowercase hex', { n: 'Иван' }, '{"n":"\\u0418\\u0432\\u0430\\u043d"}'],
    ['astral emoji as a surrogate pair', { e: '👋' }, '{"e":"\\ud83d\\udc4b"}'],
    ['U+2028 line separator', { x: '\u2028' }, '{"x":"\\u2028"}'],
    ['U+0080 boundary escaped, U+007F not', { x: '\u007f\u0080' }, '{"x":"\u007f\\u0080"}'],
  ])('%s', (_name, payload, expected) => {
    const body = serialiseWebhook(payload);
    expect(body).toBe(expected);
    expect(JSON.parse(body)).toEqual(payload);
  });
});

describe('signWebhook', () => {
  it('is sha256= and the lowercase hex HMAC of the exact body with the secret', () => {
    const body = serialiseWebhook({ name: 'Иван' });
    const expected = createHmac('sha256', 'secret').update(Buffer.from(body, 'ascii')).digest('hex');
    expect(signWebhook('secret', body)).toBe(`sha256=${expected}`);
    expect(signWebhook('other', body)).not.toBe(`sha256=${expected}`);
  });
});
