// Steps for the live-update tests: operators with sessions, a real WebSocket client on GET /api/v1/live
// that records every event, and a simulated customer writing through the sandbox.

import WebSocket from 'ws';
import type { UserRole } from '../../src/core/users.js';
import { hashPassword } from '../../src/services/passwords.js';
import { createSession } from '../../src/services/sessions.js';
import { createUser } from '../../src/store/queries/users.js';
import { eventually, type Harness } from './harness.js';

export interface Operator { id: string; cookie: string; sessionId: string }

let seq = 0;

/** A user of the demo workspace with a fresh session (as after signing in); `cookie` is a Cookie header. */
export async function operator(h: Harness, role: UserRole = 'agent', workspaceId = h.parley.demo!.workspaceId): Promise<Operator> {
  const { db } = h.parley.deps.database;
  const n = ++seq;
  const user = await createUser(db, workspaceId, {
    email: `op${n}-${Date.now()}@example.test`, name: `Operator ${n}`, role, passwordHash: await hashPassword('correct horse battery staple'),
  });
  const session = await createSession(h.parley.deps, user, {});
  return { id: user.id, cookie: `parley_session=${session.token}`, sessionId: session.sessionId };
}

export interface LiveEventSeen { kind: string; conversationId?: string | null; messageId?: string; userId?: string; status?: string; at: number; now?: number }

export interface LiveClient {
  ws: WebSocket;
  events: LiveEventSeen[];
  /** Resolves with the first recorded event (from the start) matching `match`. */
  waitFor(match: (e: LiveEventSeen) => boolean, what: string, timeoutMs?: number): Promise<LiveEventSeen>;
  send(msg: unknown): void;
  close(): Promise<void>;
}

/** Opens the live socket as a browser on Parley's page would (Origin = Parley's URL) and waits for 'hello'. */
export async function connectLive(url: string, cookie: string, opts: { origin?: string; autoPong?: boolean; sendOnOpen?: unknown[] } = {}): Promise<LiveClient> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`, { headers: { cookie, origin: opts.origin ?? url }, autoPong: opts.autoPong ?? true });
  const events: LiveEventSeen[] = [];
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as LiveEventSeen));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      for (const msg of opts.sendOnOpen ?? []) ws.send(JSON.stringify(msg));
      resolve();
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  const client: LiveClient = {
    ws, events,
    waitFor: (match, what, timeoutMs = 10_000) => eventually(() => events.find(match), { what, timeoutMs, intervalMs: 10 }),
    send: (msg) => ws.send(JSON.stringify(msg)),
    close: () => new Promise((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close();
    }),
  };
  await client.waitFor((e) => e.kind === 'hello', 'hello');
  return client;
}

/** Tries to open the socket; resolves with the HTTP status of the refusal (or 101 if it opened). */
export function upgradeStatus(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`, { headers });
    ws.once('open', () => { ws.close(); resolve({ status: 101, body: '' }); });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += String(chunk); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => { if (!String(err.message).includes('Unexpected server response')) reject(err); });
  });
}

/** A simulated customer writes to the demo number (sandbox → signed webhook → Parley). */
export async function customerWrites(h: Harness, waId: string, text: string): Promise<void> {
  const res = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text });
  if (res.status >= 300) throw new Error(`sandbox refused the customer message: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The demo workspace's conversation with a customer (after their first message was processed). */
export async function conversationOf(h: Harness, waId: string): Promise<{ id: string }> {
  return eventually(async () => {
    const res = await h.api.get('/api/v1/conversations?limit=50');
    return (res.body.items as Array<{ id: string; contact: { waId: string } }>).find((c) => c.contact.waId === waId);
  }, { what: `conversation with ${waId}` });
}
