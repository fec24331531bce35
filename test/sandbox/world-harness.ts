// Test harness for the sandbox's webhook/customer world: a sandbox on a real port with a frozen
// clock, and a webhook receiver on a real port that checks signatures with its own HMAC code.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { buildSandbox, type SandboxContext } from '../../src/sandbox/app.js';
import { SandboxClock } from '../../src/sandbox/clock.js';
import type { SandboxOptions } from '../../src/sandbox/state.js';
import type { SeedSpec } from '../../src/sandbox/seed.js';
import type { FastifyInstance } from 'fastify';

export const APP_ID = '900000000000001';
export const APP_SECRET = 'sandbox-app-secret';
export const VERIFY_TOKEN = 'sandbox-verify-token';
export const WABA_ID = '700000000000001';
export const PHONE_ID = '600000000000001';
export const TOKEN = 'sandbox-token';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: any;
  signatureValid: boolean;
}

/** A webhook receiver: answers the GET handshake for `verifyToken`, records POSTs, verifies HMAC. */
export class Receiver {
  readonly posts: Received[] = [];
  /** Status to answer POSTs with; change it to simulate an outage. */
  status = 200;
  /** When set, the GET handshake answers this body instead of the challenge. */
  handshakeBody: string | undefined;
  private server: Server;
  url = '';

  constructor(private readonly secret: string, private readonly verifyToken = VERIFY_TOKEN) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks), res));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Every status update / message / change received, flattened, in arrival order. */
  changes(field?: string): any[] {
    return this.posts.flatMap((p) => p.json.entry.flatMap((e: any) => e.changes)).filter((c: any) => !field || c.field === field);
  }

  statuses(): any[] {
    return this.changes('messages').flatMap((c: any) => c.value.statuses ?? []);
  }

  messages(): any[] {
    return this.changes('messages').flatMap((c: any) => c.value.messages ?? []);
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, raw: Buffer, res: import('node:http').ServerResponse): void {
    if (method === 'GET') {
      const q = new URL(url, 'http://x').searchParams;
      if (q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === this.verifyToken) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(this.handshakeBody ?? q.get('hub.challenge') ?? '');
      } else {
        res.writeHead(403).end('forbidden');
      }
      return;
    }
    // Independent check: HMAC-SHA256 of the raw bytes with the app secret, lowercase hex.
    const expected = Buffer.from('sha256=' + createHmac('sha256', this.secret).update(raw).digest('hex'));
    const given = Buffer.from(String(headers['x-hub-signature-256'] ?? ''));
    const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
    this.posts.push({ method, url, headers, raw, json: JSON.parse(raw.toString('utf8')), signatureValid });
    res.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.status === 200 ? 'ok' : 'down');
  }
}

export interface World {
  app: FastifyInstance;
  ctx: SandboxContext;
  base: string;
  clock: SandboxClock;
  receiver: Receiver;
  /** JSON call to the sandbox (control or Graph). */
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** Advances the virtual clock and waits until webhooks are delivered (or waiting to retry). */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const START = Date.UTC(2026, 0, 15, 12, 0, 0);

/** Sandbox on port 0, frozen clock at START, default seed with the receiver as the app's callback. */
export async function startWorld(options: Partial<SandboxOptions> = {}, seed?: SeedSpec, withCallback = true): Promise<World> {
  const receiver = await new Receiver(APP_SECRET).start();
  const clock = new SandboxClock(START, 0);
  const { app, ctx } = await buildSandbox({ options, clock, ...(seed ? { seed } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  ctx.state.options.publicBaseUrl = base;
  if (withCallback) {
    const app0 = ctx.state.apps.get(APP_ID);
    if (app0) app0.callbackUrl = receiver.url;
  }
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await request(base + path, { method: method as 'GET', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.body.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* html or empty */ }
    return { status: res.statusCode, body: parsed as any };
  };
  const settle = () => ctx.webhooks.idle();
  return {
    app, ctx, base, clock, receiver, call, settle,
    advance: async (ms: number) => { clock.advance(ms); await ctx.webhooks.idle(); },
    close: async () => { await app.close(); await receiver.stop(); },
  };
}

/** The customer writes first, so the 24 h service window is open for free-form sends. */
export async function openWindow(world: World, waId: string, text = 'hello'): Promise<void> {
  const res = await world.call('POST', `/_sandbox/customers/${waId}/messages`, { type: 'text', text, phoneNumberId: PHONE_ID });
  if (res.status !== 200) throw new Error(`openWindow failed: ${JSON.stringify(res.body)}`);
}

export async function sendGraph(world: World, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  return world.call('POST', `/v21.0/${PHONE_ID}/messages`, { messaging_product: 'whatsapp', ...body }, TOKEN);
}
