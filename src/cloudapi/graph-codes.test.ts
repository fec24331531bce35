import { describe, expect, it } from 'vitest';
import { CloudApiError, isRetryable, isThrottling, parseGraphError, parseRetryAfter } from './graph-codes.js';

describe('isRetryable', () => {
  it.each([
    // [httpStatus, code, network, retryable]
    [400, 130429, false, true],
    [429, 130429, false, true],
    [400, 131056, false, true],
    [500, 131000, false, true],
    [500, 131016, false, true],
    [500, 131057, false, true],
    [503, 133004, false, true],
    [400, 1, false, true],
    [503, 2, false, true],
    [400, 4, false, true],
    [400, 80007, false, true],
    [502, undefined, false, true],
    [503, undefined, false, true],
    [undefined, undefined, true, true],
    [400, 100, false, false],
    [401, 190, false, false],
    [404, 132001, false, false],
    [400, 132000, false, false],
    [400, 131026, false, false],
    [400, 131047, false, false],
    [400, 131050, false, false],
    [400, 131053, false, false],
    [403, 10, false, false],
    [400, undefined, false, false],
    [404, undefined, false, false],
    // a permanent code still retries when Meta's edge answers 5xx
    [500, 100, false, true],
  ] as const)('http %s code %s network %s → %s', (httpStatus, code, network, expected) => {
    expect(isRetryable({ httpStatus, code, network })).toBe(expected);
  });
});

describe('isThrottling', () => {
  it.each([
    [130429, true], [131056, true], [4, true], [80007, true],
    [131000, false], [133004, false], [100, false], [undefined, false],
  ] as const)('%s → %s', (code, expected) => {
    expect(isThrottling(code)).toBe(expected);
  });
});

describe('parseGraphError', () => {
  it('reads Meta\'s envelope: code, subcode, title without the (#code) prefix, details, trace id', () => {
    const body = JSON.stringify({ error: {
      message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429,
      error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
      error_subcode: 2494055, fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
    } });
    const e = parseGraphError(400, body, 1500);
    expect(e).toBeInstanceOf(CloudApiError);
    expect(e).toMatchObject({
      kind: 'graph', httpStatus: 400, code: 130429, subcode: 2494055, title: 'Rate limit hit',
      details: 'Cloud API message throughput has been reached.', fbtraceId: 'Az8or2yhqkZfEZ-_4Qn_Bam',
      type: 'OAuthException', retryAfterMs: 1500, retryable: true, throttling: true, network: false,
    });
    expect(e.message).toBe('(#130429) Rate limit hit: Cloud API message throughput has been reached.');
  });

  it.each([
    [401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, error_subcode: 463, fbtrace_id: 'x' } }, 190, 463, false],
    [404, { error: { message: '(#132001) Template name does not exist in the translation', code: 132001, error_data: { details: 'template name (nope) does not exist in en_US' }, fbtrace_id: 'y' } }, 132001, undefined, false],
    [500, { error: { message: '(#131000) Something went wrong', code: 131000, fbtrace_id: 'z' } }, 131000, undefined, true],
    [400, { error: { message: 'x', code: '100' } }, 100, undefined, false],
  ] as const)('status %s → code %s subcode %s retryable %s', (status, body, code, subcode, retryable) => {
    const e = parseGraphError(status, JSON.stringify(body));
    expect([e.kind, e.code, e.subcode, e.retryable]).toEqual(['graph', code, subcode, retryable]);
  });

  it.each([
    [502, '<html>Bad gateway</html>', true],
    [503, '', true],
    [404, 'not found', false],
    [400, '{"message":"no envelope"}', false],
    [400, '{"error":"a string, not an object"}', false],
  ] as const)('status %s with body %j → kind http, retryable %s', (status, body, retryable) => {
    const e = parseGraphError(status, body);
    expect([e.kind, e.code, e.retryable]).toEqual(['http', undefined, retryable]);
  });
});

describe('network and size failures', () => {
  it('a network failure is retryable with no code', () => {
    const e = new CloudApiError({ kind: 'network', httpStatus: undefined, title: 'ECONNREFUSED' });
    expect([e.network, e.code, e.retryable]).toEqual([true, undefined, true]);
  });
  it('an oversized download is permanent', () => {
    const e = new CloudApiError({ kind: 'too_large', httpStatus: 200, title: 'media larger than 10 bytes' });
    expect(e.retryable).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['3', 3000],
    ['0.5', 500],
    [['2', '9'], 2000],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
  ] as const)('%j → %s', (header, expected) => {
    expect(parseRetryAfter(header as string | string[] | undefined, now)).toBe(expected);
  });
});
