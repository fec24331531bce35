// Parley's Cloud API client against the real sandbox over real HTTP (port 0), plus bare node:http
// servers for the failures a healthy sandbox never produces (refused connection, silence, a 502 page).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { FastifyInstance } from 'fastify';
import { buildSandbox } from '../../src/sandbox/app.js';
import { CloudApiClient } from '../../src/cloudapi/client.js';
import { CloudApiError } from '../../src/cloudapi/graph-codes.js';
import type { SendMessageRequest } from '../../src/cloudapi/wire.js';

const TOKEN = 'sandbox-token';
const PHONE = '600000000000001';
const WABA = '700000000000001';
const CUSTOMER = '79161234567';
const OTHER_CUSTOMER = '447911123456';
const VERSION = 'v21.0';
/** A valid 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let sandbox: FastifyInstance;
let baseUrl: string;
let client: CloudApiClient;

beforeAll(async () => {
  const built = await buildSandbox();
  sandbox = built.app;
  await sandbox.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
  client = new CloudApiClient({ baseUrl, apiVersion: VERSION, accessToken: TOKEN, requestTimeoutMs: 10_000 });
  // media URLs point at the sandbox's public address, known only once it listens
  await control('PATCH', '/options', { publicBaseUrl: baseUrl });
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

/** Calls the sandbox's own control API (not Meta's surface). */
async function control(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<any> {
  const res = await request(`${baseUrl}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.body.json();
  if (res.statusCode >= 400) throw new Error(`control ${method} ${path} → ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

function template(to: string, name = 'hello_world', code = 'en_US'): SendMessageRequest {
  return { messaging_product: 'whatsapp', to, type: 'template', template: { name, language: { code } } };
}

async function failureOf(p: Promise<unknown>): Promise<CloudApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CloudApiError);
    return err as CloudApiError;
  }
  throw new Error('expected the call to fail');
}

describe('sending', () => {
  it('sends a template outside the service window; the sandbox records it with our callback data', async () => {
    const res = await client.sendMessage(PHONE, { ...template(`+${CUSTOMER}`), biz_opaque_callback_data: 'msg-123' });
    expect(res.messaging_product).toBe('whatsapp');
    expect(res.contacts[0]).toEqual({ input: `+${CUSTOMER}`, wa_id: CUSTOMER });
    const wamid = res.messages[0]!.id;
    expect(wamid).toMatch(/^wamid\./);
    const recorded = await control('GET', `/messages?to=${CUSTOMER}`);
    const mine = recorded.data.find((m: { wamid: string }) => m.wamid === wamid);
    expect(mine).toMatchObject({ phoneNumberId: PHONE, type: 'template', bizOpaqueCallbackData: 'msg-123' });
  });

  it('sends free-form text once the customer has written, and marks their message read (with typing)', async () => {
    const inbound = await control('POST', `/customers/${CUSTOMER}/messages`, { type: 'text', text: 'Hi there', phoneNumberId: PHONE });
    expect(await client.markRead(PHONE, inbound.wamid)).toEqual({ success: true });
    expect(await client.markRead(PHONE, inbound.wamid, true)).toEqual({ success: true });
    const res = await client.sendMessage(PHONE, { messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: { body: 'Hello, Иван! 👋' } });
    const recorded = await control('GET', `/messages?to=${CUSTOMER}`);
    const mine = recorded.data.find((m: { wamid: string }) => m.wamid === res.messages[0]!.id);
    expect(mine.request.text.body).toBe('Hello, Иван! 👋');
  });

  it('a token given per call overrides the client default', async () => {
    const anonymous = new CloudApiClient({ baseUrl, apiVersion: VERSION });
    try {
      const res = await anonymous.sendMessage(PHONE, template(CUSTOMER), { accessToken: TOKEN });
      expect(res.messages[0]!.id).toMatch(/^wamid\./);
    } finally {
      await anonymous.close();
    }
  });
});

describe('Graph errors', () => {
  it('an unknown template is 132001, permanent, with Meta\'s envelope parsed', async () => {
    const err = await failureOf(client.sendMessage(PHONE, template(CUSTOMER, 'no_such_template')));
    expect(err).toMatchObject({ kind: 'graph', code: 132001, retryable: false, network: false });
    expect(err.httpStatus).toBeGreaterThanOrEqual(400);
    expect(err.httpStatus).toBeLessThan(500);
    expect(err.title).not.toMatch(/^\(#/);
    expect(err.fbtraceId).toEqual(expect.any(String));
    expect(err.message).toContain('(#132001)');
  });

  it('a bad token is 190 with HTTP 401, permanent', async () => {
    const err = await failureOf(client.sendMessage(PHONE, template(CUSTOMER), { accessToken: 'not-a-token' }));
    expect(err).toMatchObject({ kind: 'graph', httpStatus: 401, code: 190, retryable: false });
  });

  it('an invalid request is a permanent 4xx Graph error', async () => {
    const err = await failureOf(client.sendMessage(PHONE, { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } } as SendMessageRequest));
    expect(err.kind).toBe('graph');
    expect(err.code).toEqual(expect.any(Number));
    expect(err.httpStatus).toBe(400);
    expect(err.retryable).toBe(false);
  });

  it('throughput exhaustion (130429) is retryable and throttling, whatever HTTP status carries it', async () => {
    await control('PATCH', `/phone-numbers/${PHONE}`, { throughputMps: 1 });
    await control('PATCH', '/options', { throttleHttpStatus: 429 });
    try {
      const settled = await Promise.allSettled(Array.from({ length: 20 }, () => client.sendMessage(PHONE, template(OTHER_CUSTOMER))));
      const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as CloudApiError);
      expect(settled.some((s) => s.status === 'fulfilled')).toBe(true);
      expect(failures.length).toBeGreaterThan(0);
      for (const f of failures) {
        expect(f).toBeInstanceOf(CloudApiError);
        expect(f).toMatchObject({ code: 130429, httpStatus: 429, retryable: true, throttling: true });
      }
    } finally {
      await control('PATCH', '/options', { throttleHttpStatus: 400 });
      await control('PATCH', `/phone-numbers/${PHONE}`, { throughputMps: 80 });
    }
  });
});

describe('media', () => {
  it('uploads, describes and downloads a file byte for byte', async () => {
    const { id } = await client.uploadMedia(PHONE, PNG, 'image/png', 'pixel.png');
    expect(id).toEqual(expect.any(String));
    const info = await client.getMediaInfo(id, PHONE);
    expect(info).toMatchObject({ id, mime_type: 'image/png', messaging_product: 'whatsapp' });
    expect(Number(info.file_size)).toBe(PNG.length);
    const file = await client.downloadMedia(info.url);
    expect(file.bytes.equals(PNG)).toBe(true);
    expect(file.contentType).toMatch(/^image\/png/);
  });

  it('refuses a download above the size cap', async () => {
    const { id } = await client.uploadMedia(PHONE, PNG, 'image/png', 'pixel.png');
    const info = await client.getMediaInfo(id);
    const err = await failureOf(client.downloadMedia(info.url, { maxBytes: PNG.length - 1 }));
    expect(err).toMatchObject({ kind: 'too_large', retryable: false });
  });

  it('an unknown media id is a permanent Graph error', async () => {
    const err = await failureOf(client.getMediaInfo('999999999999999'));
    expect(err).toMatchObject({ kind: 'graph', retryable: false });
    expect(err.code).toEqual(expect.any(Number));
  });
});

describe('templates and numbers', () => {
  it('lists templates with a name filter', async () => {
    const page = await client.listTemplates(WABA, { name: 'hello_world', limit: 10 });
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((t) => t.name === 'hello_world')).toBe(true);
    expect(page.data.find((t) => t.language === 'en_US')).toMatchObject({ status: 'APPROVED', category: 'UTILITY' });
  });

  it('creates a template that then appears in the list', async () => {
    const name = `order_ready_${Date.now()}`;
    const created = await client.createTemplate(WABA, {
      name, language: 'en_US', category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your order {{1}} is ready for pickup.', example: { body_text: [['#1042']] } }],
    });
    expect(created.id).toEqual(expect.any(String));
    expect(['PENDING', 'APPROVED', 'REJECTED']).toContain(created.status);
    const page = await client.listTemplates(WABA, { name });
    expect(page.data.map((t) => t.id)).toContain(created.id);
  });

  it('reads a phone number with requested fields', async () => {
    const number = await client.getPhoneNumber(PHONE, ['display_phone_number', 'verified_name', 'quality_rating', 'throughput']);
    expect(number).toMatchObject({ id: PHONE, verified_name: 'Demo Shop' });
    expect(number.display_phone_number.replace(/\D/g, '')).toBe('15550001111');
  });
});

describe('transport failures (bare HTTP servers)', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('a refused connection is a retryable network error that surely never reached the server', async () => {
    const url = await serve(() => {});
    const closed = servers.pop()!;
    await new Promise((r) => closed.close(r));
    const c = new CloudApiClient({ baseUrl: url, apiVersion: VERSION, accessToken: TOKEN });
    try {
      const err = await failureOf(c.sendMessage(PHONE, template(CUSTOMER)));
      expect(err).toMatchObject({ kind: 'network', network: true, code: undefined, httpStatus: undefined, retryable: true, ambiguous: false });
    } finally {
      await c.close();
    }
  });

  it('a server that never answers times out: retryable, and ambiguous (it may have acted)', async () => {
    const url = await serve(() => { /* never respond */ });
    const c = new CloudApiClient({ baseUrl: url, apiVersion: VERSION, accessToken: TOKEN });
    try {
      const err = await failureOf(c.sendMessage(PHONE, template(CUSTOMER), { timeoutMs: 200 }));
      expect(err).toMatchObject({ kind: 'network', network: true, retryable: true, ambiguous: true });
    } finally {
      await c.close();
    }
  });

  it('a 502 HTML page is a retryable HTTP failure; a 2xx that is not JSON is a protocol failure', async () => {
    const url = await serve((req, res) => {
      if (req.url?.includes('/messages')) {
        res.writeHead(502, { 'content-type': 'text/html', 'retry-after': '7' }).end('<html>Bad gateway</html>');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
    const c = new CloudApiClient({ baseUrl: url, apiVersion: VERSION, accessToken: TOKEN });
    try {
      const bad = await failureOf(c.sendMessage(PHONE, template(CUSTOMER)));
      expect(bad).toMatchObject({ kind: 'http', httpStatus: 502, code: undefined, retryable: true, retryAfterMs: 7000 });
      const odd = await failureOf(c.getPhoneNumber(PHONE));
      expect(odd).toMatchObject({ kind: 'protocol', httpStatus: 200, retryable: false });
    } finally {
      await c.close();
    }
  });

  it('caps a streamed download that declares no length', async () => {
    const url = await serve((req, res) => {
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no content-length
      res.write(Buffer.alloc(4096, 1));
      res.end(Buffer.alloc(4096, 2));
    });
    const c = new CloudApiClient({ baseUrl: url, apiVersion: VERSION, accessToken: TOKEN, maxDownloadBytes: 5000 });
    try {
      const err = await failureOf(c.downloadMedia(`${url}/media/blob`));
      expect(err).toMatchObject({ kind: 'too_large', retryable: false });
      const whole = await c.downloadMedia(`${url}/media/blob`, { maxBytes: 8192 });
      expect(whole.bytes.length).toBe(8192);
      expect([whole.bytes[0], whole.bytes[8191]]).toEqual([1, 2]);
    } finally {
      await c.close();
    }
  });

  it('sends the bearer token, JSON content type and URL-encoded path segments', async () => {
    const seen: Array<{ url?: string; auth?: string; type?: string; body: string }> = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        seen.push({ url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
      });
    });
    const c = new CloudApiClient({ baseUrl: `${url}/prefix/`, apiVersion: VERSION, accessToken: TOKEN });
    try {
      await c.markRead('id/with?odd', 'wamid.X');
      expect(seen[0]).toEqual({
        url: `/prefix/${VERSION}/id%2Fwith%3Fodd/messages`,
        auth: `Bearer ${TOKEN}`,
        type: 'application/json',
        body: JSON.stringify({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' }),
      });
    } finally {
      await c.close();
    }
  });
});
