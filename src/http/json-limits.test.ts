import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { installErrorHandler } from './error-handler.js';
import { MAX_JSON_DEPTH, assertFreeformSize, assertJsonLimits, findJsonProblem, formatPath, installJsonLimits } from './json-limits.js';

const nest = (levels: number): unknown => (levels === 0 ? 1 : { a: nest(levels - 1) });

describe('findJsonProblem', () => {
  it.each<[string, unknown, ReturnType<typeof findJsonProblem>]>([
    ['a scalar', 'x', undefined],
    ['32 levels', nest(MAX_JSON_DEPTH), undefined],
    ['33 levels', nest(MAX_JSON_DEPTH + 1), { kind: 'depth', path: Array(MAX_JSON_DEPTH).fill('a') }],
    ['arrays count as levels', { list: [[[1]]] }, undefined],
    ['a NUL in a nested string', { list: [{ ok: 'y' }, { name: 'a\u0000' }] }, { kind: 'nul', path: ['list', 1, 'name'] }],
    ['a NUL in a key', { 'k\u0000': 1 }, { kind: 'nul', path: ['k\\u0000'] }],
  ])('%s', (_label, value, expected) => {
    expect(findJsonProblem(value, MAX_JSON_DEPTH)).toEqual(expected);
  });

  it('walks 10,000 levels without overflowing the stack (it stops at the limit)', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown;
    expect(findJsonProblem(deep, MAX_JSON_DEPTH)?.kind).toBe('depth');
  });
});

describe('errors', () => {
  it('names the place and the limit', () => {
    expect(formatPath(['content', 'contacts', 0, 'x'])).toBe('content.contacts[0].x');
    expect(() => assertJsonLimits(nest(40))).toThrow(/more than 32 levels deep at a\.a/);
    expect(() => assertJsonLimits({ a: ['\u0000'] })).toThrow(/a\[0\] contains a NUL/);
    const tooBig = (() => { try { assertFreeformSize({ s: 'x'.repeat(100) }, 'attributes', 50); } catch (e) { return e; } })();
    expect(tooBig).toBeInstanceOf(AppError);
    expect((tooBig as AppError).code).toBe('json_too_large');
    expect(() => assertFreeformSize({ s: 'x' }, 'attributes', 50)).not.toThrow();
  });
});

describe('installJsonLimits', () => {
  it('checks JSON bodies and URLs of every route but the webhook intake, which keeps its own raw parser', async () => {
    const app = Fastify();
    installErrorHandler(app);
    installJsonLimits(app);
    app.post('/api/echo', async (req) => req.body);
    app.get('/webhooks/whatsapp', async (req) => req.query);
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      scope.post('/webhooks/whatsapp', async (req) => ({ bytes: (req.body as Buffer).length }));
    });
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const json = { 'content-type': 'application/json' };
    expect((await app.inject({ method: 'POST', url: '/api/echo', headers: json, payload: '{"a":[1]}' })).json()).toEqual({ a: [1] });
    const tooDeep = await app.inject({ method: 'POST', url: '/api/echo', headers: json, payload: deep });
    expect([tooDeep.statusCode, tooDeep.json().error.code]).toEqual([400, 'json_too_deep']);
    const nul = await app.inject({ method: 'POST', url: '/api/echo?x=%00', headers: json, payload: '{}' });
    expect([nul.statusCode, nul.json().error.code]).toEqual([400, 'validation_failed']);
    expect(nul.json().error.message).toMatch(/query parameter x contains a NUL/);
    expect((await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: json, payload: deep })).json()).toEqual({ bytes: deep.length });
    expect((await app.inject({ method: 'GET', url: '/webhooks/whatsapp?x=%00' })).statusCode).toBe(200);
    await app.close();
  });
});
