// The database cannot take a webhook: the intake answers 503 (not 500) so Meta retries, and the
// same webhook POSTed again once the database is back is stored, processed, and applied once.
// PostgreSQL: the intake's INSERT waits on a table lock we hold and its backend is terminated by an
// administrator (57P01). SQLite: another connection holds the write lock past the busy timeout.

import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { POSTGRES_TEST_URL } from '../helpers/databases.js';
import { inboundText } from './payloads.js';
import { waitFor } from './processes.js';
import { startWorld, type World } from './world.js';

let world: World | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await world?.close();
  world = undefined;
});

/**
 * Once the database is back: the retried webhook is acknowledged and stored; the delivery refused
 * with 503 left nothing behind, every stored copy (Meta may deliver once more) is processed, and the
 * message is applied once.
 */
async function expectRetryStoredOnce(w: World, body: string, wamid: string): Promise<void> {
  const db = w.tdb.database.db;
  // Meta retries until it gets a 200; right after an outage a pooled connection that died with it
  // may fail one more request — with 503 again, never a 500.
  const answers: number[] = [];
  await waitFor('a 200 for the retried webhook', async () => {
    answers.push((await w.postWebhook(body)).status);
    return answers.at(-1) === 200;
  }, 10_000, 50);
  expect(answers.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect((await w.postWebhook(body)).status).toBe(200); // Meta may deliver it once more
  await waitFor('the deliveries processed', async () => {
    w.parley.webhookWorker.notify();
    const events = await db.selectFrom('webhook_events').select(['status']).where('payload', '=', body).execute();
    // The 200 retry and the extra delivery: the log is append-only, a redelivery a row of its own.
    return events.length === 2 && events.every((e) => e.status === 'done');
  }, 20_000);
  const messages = await db.selectFrom('messages').select(['id', 'direction']).where('wamid', '=', wamid).execute();
  expect(messages).toEqual([{ id: expect.any(String), direction: 'in' }]);
}

describe('database unavailable', () => {
  it('PostgreSQL: the intake backend is terminated → 503; the retry is stored and applied once', { timeout: 60_000 }, async () => {
    world = await startWorld({ kind: 'postgres' });
    const w = world;
    const target = parseDatabaseUrl(w.tdb.url);
    const schema = target.dialect === 'postgres' ? target.schema! : '';
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    cleanups.push(() => admin.end());
    const table = `"${schema}".webhook_events`;

    const body = inboundText('wamid.db-down-pg', '447911123040', 'are you there?');
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    let answered = false;
    const answer = w.postWebhook(body).finally(() => { answered = true; });
    // Parley's INSERT (and maybe its worker's claim) waits on our lock: terminate whatever waits on it
    // until the intake has answered (the worker's backend may be the first one to queue up).
    let terminated = 0;
    await waitFor('the intake to answer', async () => {
      const { rows } = await admin.query<{ pid: number }>('SELECT DISTINCT pid FROM pg_locks WHERE relation = $1::regclass AND NOT granted', [table]);
      for (const { pid } of rows) terminated += (await admin.query('SELECT pg_terminate_backend($1)', [pid])).rowCount ?? 0;
      return answered;
    }, 20_000, 20);
    const refused = await answer;
    expect(terminated).toBeGreaterThan(0);
    await admin.query('ROLLBACK');

    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'database_unavailable' } });
    await expectRetryStoredOnce(w, body, 'wamid.db-down-pg');
  });

  it('SQLite: the write lock is held past the busy timeout → 503; the retry is stored and applied once', { timeout: 90_000 }, async () => {
    // No polling workers during the outage: each of their writes would also wait out the busy timeout.
    world = await startWorld({ kind: 'sqlite', env: { WORKER_POLL_MS: '60000' } });
    const w = world;
    const target = parseDatabaseUrl(w.tdb.url);
    const blocker = new SqliteDatabase(target.dialect === 'sqlite' ? target.file : '');
    cleanups.push(() => { if (blocker.inTransaction) blocker.exec('ROLLBACK'); blocker.close(); });

    const body = inboundText('wamid.db-down-sqlite', '447911123041', 'hello?');
    blocker.exec('BEGIN IMMEDIATE');
    const refused = await w.postWebhook(body);
    blocker.exec('ROLLBACK');

    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'database_unavailable' } });
    expect(await w.tdb.database.db.selectFrom('webhook_events').select('id').where('payload', '=', body).execute()).toEqual([]);
    await expectRetryStoredOnce(w, body, 'wamid.db-down-sqlite');
  });
});
