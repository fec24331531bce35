// Group commit (store/group-commit.ts): SQLite transactions that queue behind an open one share its
// COMMIT, each in its own savepoint; a caller hears of its result only once it is committed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withTransaction, type Database } from '../../src/store/db.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.js';

let t: TestDatabase;
let other: Database;
beforeAll(async () => { t = await openTestDatabase('sqlite', { label: 'group-commit' }); other = await t.openAnother(); });
afterAll(async () => { await other.close(); await t.dispose(); });

const names = async (db: Database['db'], prefix: string): Promise<string[]> =>
  (await db.selectFrom('workspaces').select('name').where('name', 'like', `${prefix}%`).orderBy('name').execute()).map((r) => r.name);

it('runs transactions that arrive together in order; one that throws is rolled back alone', async () => {
  const { db } = t.database;
  const prefix = `gc-${Date.now()}-`;
  const seen: number[] = [];
  const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => withTransaction(db, async (trx) => {
    // Each sees the writes of those before it: the count it reads is its place in the queue.
    seen.push((await names(trx, prefix)).length);
    await createWorkspace(trx, { name: `${prefix}${String(i).padStart(2, '0')}` });
    if (i === 4) throw new Error('refused on purpose');
    return i;
  })));
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)))
    .toEqual([0, 1, 2, 3, 'refused on purpose', 5, 6, 7, 8, 9, 10, 11]);
  expect(seen).toEqual([0, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10]);
  const stored = await names(other.db, prefix);
  expect(stored).toHaveLength(11);
  expect(stored).not.toContain(`${prefix}04`);
});

it('answers a caller only after its transaction is committed (another connection sees it)', async () => {
  const { db } = t.database;
  const prefix = `gc-visible-${Date.now()}-`;
  await Promise.all(Array.from({ length: 8 }, async (_, i) => {
    await withTransaction(db, (trx) => createWorkspace(trx, { name: `${prefix}${i}` }));
    expect(await names(other.db, `${prefix}${i}`)).toEqual([`${prefix}${i}`]);
  }));
});

it('a first transaction that throws leaves nothing, and those queued behind it still run', async () => {
  const { db } = t.database;
  const prefix = `gc-first-${Date.now()}-`;
  const first = withTransaction(db, async (trx) => {
    await createWorkspace(trx, { name: `${prefix}a` });
    await sql`select 1`.execute(trx);
    throw new Error('first fails');
  });
  const second = withTransaction(db, (trx) => createWorkspace(trx, { name: `${prefix}b` }));
  await expect(first).rejects.toThrow('first fails');
  await second;
  expect(await names(other.db, prefix)).toEqual([`${prefix}b`]);
});

it('a transaction inside another joins it instead of queueing behind it', async () => {
  const { db } = t.database;
  const prefix = `gc-nested-${Date.now()}-`;
  await withTransaction(db, async (trx) => {
    await createWorkspace(trx, { name: `${prefix}outer` });
    await withTransaction(trx, (inner) => createWorkspace(inner, { name: `${prefix}inner` }));
  });
  expect(await names(other.db, prefix)).toEqual([`${prefix}inner`, `${prefix}outer`]);
});

it('shares one COMMIT: the first of a group is not visible to another connection until the last is done', async () => {
  const prefix = `gc-shared-${Date.now()}-`;
  const group = new GroupCommit(t.database.db, { budgetMs: 60_000, max: 64 });
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let lastStarted!: () => void;
  const lastRunning = new Promise<void>((resolve) => { lastStarted = resolve; });
  const all = Promise.all([
    group.run((trx) => createWorkspace(trx, { name: `${prefix}0` })),
    group.run((trx) => createWorkspace(trx, { name: `${prefix}1` })),
    group.run(async (trx) => { lastStarted(); await held; return createWorkspace(trx, { name: `${prefix}2` }); }),
  ]);
  await lastRunning;
  expect(await names(other.db, prefix)).toEqual([]);
  release();
  await all;
  expect(await names(other.db, prefix)).toEqual([`${prefix}0`, `${prefix}1`, `${prefix}2`]);
});

it('tells every caller when the shared transaction breaks under one of them (none is left waiting)', async () => {
  const prefix = `gc-broken-${Date.now()}-`;
  const group = new GroupCommit(t.database.db, { budgetMs: 60_000, max: 64 });
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const a = group.run(async (trx) => { await createWorkspace(trx, { name: `${prefix}a` }); await held; });
  // What SQLite does by itself on a full disk or an I/O error: the whole transaction is gone.
  const b = group.run(async (trx) => { await sql`rollback`.execute(trx); throw new Error('disk full'); });
  const c = group.run((trx) => createWorkspace(trx, { name: `${prefix}c` }));
  release();
  const settled = await Promise.allSettled([a, b, c]);
  // a and b were in the broken transaction; c had not started, and runs in the next one.
  expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  expect(await names(other.db, prefix)).toEqual([`${prefix}c`]);
});
