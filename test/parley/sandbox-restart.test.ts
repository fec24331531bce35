// A restart of Parley with its embedded sandbox loses nothing: the sandbox's state (customers'
// service windows, messages, ids) lives in a SQLite file beside Parley's data, ids never repeat
// across runs, and a reset — through the control API or SANDBOX_RESET — starts the world afresh.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startParley, type Parley } from '../../src/compose.js';
import { eventually, httpClient, PHONE_NUMBER_ID, type HttpClient } from './harness.js';
import { hasStatus, sendOk, waitForMessage } from './steps.js';

const CUSTOMER = '14155550123'; // John Doe, the silent persona: no replies of his own to count

interface Run { parley: Parley; api: HttpClient; sandbox: HttpClient }

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

async function dataDir(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-restart-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const env = {
    PORT: '0', SANDBOX_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', WORKER_POLL_MS: '10',
    MEDIA_DIR: join(dir, 'media'), DATABASE_URL: `sqlite:${join(dir, 'parley.db')}`,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  return { dir, env };
}

async function start(env: Record<string, string>): Promise<Run> {
  const parley = await startParley(loadConfig(env));
  const closeOnce = parley.close.bind(parley);
  let closed = false;
  parley.close = async () => { if (!closed) { closed = true; await closeOnce(); } };
  cleanups.push(() => parley.close());
  return {
    parley,
    api: httpClient(parley.url, { authorization: `Bearer ${parley.demo!.apiKey}` }),
    sandbox: httpClient(parley.sandbox!.url),
  };
}

/** The customer writes through the sandbox; returns the wamid the sandbox gave the message. */
async function customerWrites(run: Run, text: string): Promise<string> {
  const res = await run.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text, phoneNumberId: PHONE_NUMBER_ID });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.wamid as string;
}

/** Customer messages Parley stored, oldest first. */
async function storedInbound(run: Run): Promise<Array<{ wamid: string | null; content: string }>> {
  return run.parley.deps.database.db.selectFrom('messages').select(['wamid', 'content'])
    .where('direction', '=', 'in').orderBy('created_at').orderBy('id').execute() as Promise<Array<{ wamid: string | null; content: string }>>;
}

async function waitStored(run: Run, texts: string[]): Promise<void> {
  await eventually(async () => {
    const bodies = (await storedInbound(run)).map((m) => JSON.parse(m.content).body as string);
    return texts.every((t) => bodies.includes(t));
  }, { what: `customer messages stored: ${texts.join(', ')}` });
}

/** Parley replies with a text (a free-form message: only inside the service window) and it is delivered. */
async function replyDelivered(run: Run, body: string): Promise<string> {
  const queued = await sendOk(run.api, `+${CUSTOMER}`, { type: 'text', body });
  const done = await waitForMessage(run.api, queued.id, hasStatus('delivered', 'read', 'failed'), 15_000);
  expect(done.error, `reply "${body}" failed`).toBeNull();
  expect(done.status).toBe('delivered');
  return done.wamid!;
}

async function windowOf(run: Run): Promise<{ open: boolean; lastInboundAt: number } | undefined> {
  const res = await run.sandbox.get(`/_sandbox/customers/${CUSTOMER}`);
  expect(res.status).toBe(200);
  return (res.body.windows as Array<{ phoneNumberId: string; open: boolean; lastInboundAt: number }>).find((w) => w.phoneNumberId === PHONE_NUMBER_ID);
}

describe('a restart of Parley with the embedded sandbox', () => {
  it('keeps every customer message, the open service window and unique ids', async () => {
    const { dir, env } = await dataDir();
    const first = await start(env);
    const before = [await customerWrites(first, 'before restart 1'), await customerWrites(first, 'before restart 2')];
    await waitStored(first, ['before restart 1', 'before restart 2']);
    const reply1 = await replyDelivered(first, 'reply before restart');
    const window1 = await windowOf(first);
    await first.parley.close();
    expect(existsSync(join(dir, 'sandbox.db'))).toBe(true);

    const second = await start(env);
    // The window the customer opened before the restart is still open: a text is delivered, not 131047.
    expect(await windowOf(second)).toEqual(window1);
    const reply2 = await replyDelivered(second, 'reply after restart');
    const after = [await customerWrites(second, 'after restart 1'), await customerWrites(second, 'after restart 2')];
    await waitStored(second, ['after restart 1', 'after restart 2']);

    const stored = await storedInbound(second);
    expect(stored.map((m) => JSON.parse(m.content).body)).toEqual(['before restart 1', 'before restart 2', 'after restart 1', 'after restart 2']);
    const ids = [...before, ...after, reply1, reply2];
    expect(new Set(ids).size).toBe(ids.length);
    expect(stored.map((m) => m.wamid)).toEqual([...before, ...after]);
  });

  it('starts afresh after a reset through the control API, and with SANDBOX_RESET=true', async () => {
    const { env } = await dataDir();
    const first = await start(env);
    await customerWrites(first, 'hello');
    expect((await windowOf(first))?.open).toBe(true);
    expect((await first.sandbox.post('/_sandbox/reset', {})).status).toBe(200);
    expect(await windowOf(first)).toBeUndefined();
    await first.parley.close();

    // The reset reached the store: the next start does not bring the window back.
    const second = await start(env);
    expect(await windowOf(second)).toBeUndefined();
    await customerWrites(second, 'hello again');
    expect((await windowOf(second))?.open).toBe(true);
    await second.parley.close();

    // A start with SANDBOX_RESET=true discards what was kept.
    const third = await start({ ...env, SANDBOX_RESET: 'true' });
    expect(await windowOf(third)).toBeUndefined();
    await third.parley.close();
    const fourth = await start(env);
    expect(await windowOf(fourth)).toBeUndefined();
  });
});
