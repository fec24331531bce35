// SQLite's reader (store/sqlite-split.ts): plain SELECTs outside a transaction run on a read-only
// connection, neither waiting for an open transaction nor seeing its writes before its COMMIT.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withTransaction } from '../../src/store/db.js';
import { createWorkspace, getWorkspace } from '../../src/store/queries/workspaces.js';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.js';

let t: TestDatabase;
beforeAll(async () => { t = await openTestDatabase('sqlite', { label: 'sqlite-split' }); });
afterAll(async () => { await t.dispose(); });

it('reads while a transaction is open, seeing what was committed and not what is in flight', async () => {
  const { db } = t.database;
  const kept = await createWorkspace(db, { name: 'committed before' });
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let inFlightId!: string;
  let written!: () => void;
  const wrote = new Promise<void>((resolve) => { written = resolve; });
  const tx = withTransaction(db, async (trx) => {
    inFlightId = (await createWorkspace(trx, { name: 'in flight' })).id;
    written();
    await held;
  });
  await wrote;
  // With one connection this read would wait for the transaction (and this test would time out).
  expect((await getWorkspace(db, kept.id))?.name).toBe('committed before');
  expect(await getWorkspace(db, inFlightId)).toBeUndefined();
  release();
  await tx;
  expect((await getWorkspace(db, inFlightId))?.name).toBe('in flight');
});

it('a write outside a transaction waits for the open one instead of landing inside it', async () => {
  const { db } = t.database;
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let started!: () => void;
  const open = new Promise<void>((resolve) => { started = resolve; });
  const tx = withTransaction(db, async () => { started(); await held; throw new Error('rolled back'); });
  await open;
  const outside = createWorkspace(db, { name: 'outside' });
  release();
  await expect(tx).rejects.toThrow('rolled back');
  // Had it run inside the transaction, the rollback would have taken it too.
  const ws = await outside;
  expect((await getWorkspace(db, ws.id))?.name).toBe('outside');
});

it('the reader cannot write: a statement that is not a plain SELECT goes to the writer', async () => {
  const { db } = t.database;
  const { rows } = await sql<{ n: number }>`with x as (select 1 as n) select n from x`.execute(db);
  expect(rows).toEqual([{ n: 1 }]);
  await sql`create table if not exists split_probe (v integer)`.execute(db);
  await sql`insert into split_probe (v) values (7)`.execute(db);
  expect((await sql<{ v: number }>`select v from split_probe`.execute(db)).rows).toEqual([{ v: 7 }]);
});
