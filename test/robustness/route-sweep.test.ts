// Every route of Parley's OpenAPI document (read from the running app, so new routes are swept as
// they are added) gets malformed, deeply nested, oversized and wrong-type bodies, path params and
// query strings: none may answer 5xx, and every error is JSON with a stable code. On both databases.

import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type DbKind, type Harness } from '../parley/harness.js';

interface Operation { method: string; path: string; params: string[]; query: string[]; bodyProps: Record<string, { type?: string }> | null }
interface Probe { what: string; path: string; body?: string; contentType?: string }

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The operations of the OpenAPI document, with their path params, query params and body properties. */
function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(), path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyProps: body?.properties ?? null,
      });
    }
  }
  return ops;
}

const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const nestedArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** A value of the wrong JSON type for a property whose schema has `type`. */
function wrongTypeFor(schema: { type?: string }): unknown {
  switch (schema.type) {
    case 'string': return 12345;
    case 'number': case 'integer': case 'boolean': return 'not-a-number';
    case 'array': return { not: 'an array' };
    case 'object': return 'not an object';
    default: return [[[{ x: null }]]];
  }
}

function fill(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, value);
}

const PARAM_VALUES = ['nope', 'x'.repeat(5000), '%00', '%C0%AF', '..%2F..%2Fetc%2Fpasswd', '%F0%9F%98%80', '-1', '%20'];
const QUERY_VALUES = ['abc', '-1', '1e309', '', '%00', 'x'.repeat(5000), '99999999999999999999', '%FF'];

function probesFor(op: Operation): Probe[] {
  const base = fill(op.path, 'nope');
  const probes: Probe[] = PARAM_VALUES.filter(() => op.params.length > 0).map((v) => ({ what: `path param ${v.slice(0, 20)}`, path: fill(op.path, v) }));
  for (const name of op.query) {
    for (const v of QUERY_VALUES) probes.push({ what: `query ${name}=${v.slice(0, 20)}`, path: `${base}?${name}=${v}` });
    probes.push({ what: `query ${name} twice`, path: `${base}?${name}=1&${name}=2` });
  }
  probes.push({ what: 'unknown query', path: `${base}?zzz[a][b]=1&__proto__=x` });
  if (!BODY_METHODS.has(op.method)) return probes;
  const json = (what: string, body: string, contentType = 'application/json') => probes.push({ what, path: base, body, contentType });
  json('malformed JSON', '{"a":');
  json('empty JSON body', '');
  json('JSON nested 4,200 levels', nested(4200));
  json('arrays nested 10,000 levels', nestedArray(10_000));
  json('oversized body (2 MB)', JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }));
  for (const v of ['[]', '"text"', 'null', '12', 'true']) json(`body ${v}`, v);
  json('prototype poisoning', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}');
  json('a key with a NUL character', '{"x\\u0000":1}');
  json('text/plain body', 'hello', 'text/plain');
  json('form body', 'a=1&b=2', 'application/x-www-form-urlencoded');
  json('truncated multipart', '--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\npartial', 'multipart/form-data; boundary=b');
  json('multipart without a boundary', 'x', 'multipart/form-data');
  for (const [name, schema] of Object.entries(op.bodyProps ?? {})) {
    json(`body ${name} of the wrong type`, JSON.stringify({ [name]: wrongTypeFor(schema) }));
    json(`body ${name} nested deep`, `{"${name}":${nested(200)}}`);
    json(`body ${name} with a NUL character`, JSON.stringify({ [name]: 'a\u0000b' }));
  }
  return probes;
}

async function hit(h: Harness, method: string, probe: Probe) {
  const headers: Record<string, string> = { authorization: `Bearer ${h.parley.demo!.apiKey}` };
  if (probe.contentType) headers['content-type'] = probe.contentType;
  const res = await request(`${h.parley.url}${probe.path}`, { method: method as 'GET', headers, ...(probe.body !== undefined ? { body: probe.body } : {}) });
  const text = await res.body.text();
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text };
}

describe.each<DbKind>(['sqlite', 'postgres'])('route sweep on %s', (db) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ db }); });
  afterAll(async () => { await h?.close(); });

  it('answers every probe of every documented route without a 5xx, with a JSON error code', async () => {
    const doc = (await h.raw.get('/docs/json')).body;
    const ops = operationsOf(doc);
    // The webhook intake is hidden from the document; it takes bodies too.
    ops.push({ method: 'POST', path: '/webhooks/whatsapp', params: [], query: [], bodyProps: null });
    expect(ops.length).toBeGreaterThan(10);
    const failures: string[] = [];
    let probes = 0;
    for (const op of ops) {
      for (const probe of probesFor(op)) {
        probes += 1;
        const res = await hit(h, op.method, probe);
        const label = `${op.method} ${op.path} — ${probe.what}: ${res.status} ${res.text.slice(0, 160)}`;
        if (res.status >= 500) failures.push(label);
        else if (res.status >= 400) {
          const code = res.contentType.includes('json') ? (JSON.parse(res.text) as { error?: { code?: unknown } }).error?.code : undefined;
          if (typeof code !== 'string') failures.push(`${label} (no JSON error code)`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(probes).toBeGreaterThan(300);
  }, 120_000);
});
