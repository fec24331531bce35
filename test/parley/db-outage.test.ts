// Database unavailable (PostgreSQL behind a TCP gate we cut): the webhook answers 503 so Meta (the
// sandbox) retries, and once the database is back the retried webhook is stored — nothing is lost.

import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL } from '../helpers/databases.js';
import { eventually, startHarness, type Harness } from './harness.js';
import { conversationMessages, createCustomer } from './steps.js';

/** Forwards TCP to PostgreSQL; `cut()` drops every connection and refuses new ones until `restore()`. */
class TcpGate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const pgTarget = new URL(POSTGRES_TEST_URL);
const gate = new TcpGate({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
let h: Harness;

beforeAll(async () => {
  await gate.restore();
  const viaGate = new URL(POSTGRES_TEST_URL);
  viaGate.port = String(gate.port);
  h = await startHarness({ db: 'postgres', postgresUrl: viaGate.toString() });
});
afterAll(async () => {
  await gate.restore().catch(() => undefined);
  await h?.close();
  await gate.cut();
});

describe('database unavailable', () => {
  it('answers 503 to webhooks while PostgreSQL is down and stores the retried webhook after', async () => {
    const waId = '447400123901';
    await createCustomer(h.sandbox, waId, 'silent');
    // Meta retries after 15 s, 30 s, …; half a second here keeps the test short.
    expect((await h.sandbox.patch('/_sandbox/options', { webhookRetryBaseMs: 500 })).status).toBe(200);
    const since = (await h.sandbox.get('/_sandbox/log/webhooks?limit=1')).body.lastSeq as number;

    await gate.cut();
    const sent = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text: 'Anyone there?' });
    expect(sent.status).toBeLessThan(300);
    const refused = await eventually(async () => {
      const log = (await h.sandbox.get(`/_sandbox/log/webhooks?field=messages&since=${since}`)).body.data as Array<{ attempts: Array<{ status?: number }>; body: string }>;
      return log.find((e) => e.body.includes('Anyone there?') && e.attempts.some((a) => a.status === 503));
    }, { what: 'a 503 answer to the webhook while the database is down' });
    expect(refused.attempts.every((a) => a.status !== 200)).toBe(true);

    await gate.restore();
    const stored = await eventually(async () => {
      const contacts = (await h.api.get('/api/v1/contacts?limit=200')).body.items as Array<{ id: string; waId: string }> | undefined;
      const contact = contacts?.find((c) => c.waId === waId);
      const conv = contact && (await h.api.get(`/api/v1/conversations?contactId=${contact.id}`)).body.items[0];
      if (!conv) return undefined;
      return (await conversationMessages(h.api, conv.id)).filter((m) => m.content?.body === 'Anyone there?');
    }, { timeoutMs: 20_000, what: 'the retried webhook stored after the database came back' });
    expect(stored).toHaveLength(1);
    const delivered = (await h.sandbox.get(`/_sandbox/log/webhooks?field=messages&since=${since}`)).body.data
      .find((e: { body: string }) => e.body.includes('Anyone there?'));
    expect(delivered.delivered).toBe(true);
  });
});
