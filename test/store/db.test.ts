import { expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { forEachDatabase } from '../helpers/databases.js';
import { dialectOf, isDatabaseUnavailable, openDatabase, withTransaction } from '../../src/store/db.js';
import { parseDatabaseUrl } from '../../src/store/database-url.js';

forEachDatabase('db', (get) => {
  it('reports its dialect, also inside a transaction', async () => {
    const { db, kind, database } = get();
    expect(database.dialect).toBe(kind);
    expect(dialectOf(db)).toBe(kind);
    expect(await withTransaction(db, async (trx) => dialectOf(trx))).toBe(kind);
  });

  it('returns bigint values as numbers without touching pg’s global parsers', async () => {
    const { db } = get();
    const { rows } = await sql<{ n: number }>`select cast(9007199254740991 as bigint) as n`.execute(db);
    expect(rows[0]?.n).toBe(Number.MAX_SAFE_INTEGER);
    expect(pg.types.getTypeParser(20, 'text')('5')).toBe('5');
  });

  it('lets a nested withTransaction join the outer one', async () => {
    const { db } = get();
    const result = await withTransaction(db, (outer) => withTransaction(outer, async (inner) => inner === outer));
    expect(result).toBe(true);
  });
});

it('creates the parent directory of a SQLite file and turns on WAL and foreign keys', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-db-'));
  try {
    const database = await openDatabase(`sqlite:${join(dir, 'nested', 'deeper', 'x.db')}`);
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
    await database.close();
    expect((await stat(join(dir, 'nested', 'deeper', 'x.db'))).isFile()).toBe(true);
    expect(rows[0]?.journal_mode).toBe('wal');
    expect(fk.rows[0]?.foreign_keys).toBe(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Threads of this process at the lowest priority (nice 19), from /proc (Linux). */
async function lowestPriorityThreads(): Promise<number> {
  let n = 0;
  for (const tid of await readdir('/proc/self/task')) {
    const stat = await readFile(`/proc/self/task/${tid}/stat`, 'utf8').catch(() => '');
    // Fields after the command name: state is field 3, nice field 19.
    if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16] === '19') n++;
  }
  return n;
}

it('checkpoints a SQLite WAL on its own thread, and stops it on close', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-db-'));
  const file = join(dir, 'x.db');
  try {
    const niced = process.platform === 'linux' ? await lowestPriorityThreads() : 0;
    const database = await openDatabase(`sqlite:${file}`);
    // On Linux the thread yields to the event loop: it runs at the lowest priority.
    if (process.platform === 'linux') await vi.waitFor(async () => expect(await lowestPriorityThreads()).toBe(niced + 1), { timeout: 5_000, interval: 25 });
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db);
    expect(rows[0]?.wal_autocheckpoint).toBe(10_000); // the writer's own checkpoints: a safety net only
    await sql`create table t (b blob)`.execute(database.db);
    // ≈ 4 MB committed: ≈ 1,000 WAL pages, far below the writer's threshold.
    for (let i = 0; i < 64; i++) await sql`insert into t (b) select randomblob(4000) from (select 1 union all select 2) a, (select 1 union all select 2) b, (select 1 union all select 2) c, (select 1 union all select 2) d, (select 1 union all select 2 union all select 3 union all select 4) e`.execute(database.db);
    const { rows: count } = await sql<{ n: number }>`select count(*) as n from t`.execute(database.db);
    expect(count[0]?.n).toBe(64 * 64);
    // The pages reach the database file without the writer checkpointing: the thread copied them.
    await vi.waitFor(async () => expect((await stat(file)).size).toBeGreaterThan(4 * 1024 * 1024), { timeout: 10_000, interval: 25 });
    await database.close();
    // Closed last (the thread's connection first), SQLite checkpointed and removed the WAL.
    await expect(stat(`${file}-wal`)).rejects.toMatchObject({ code: 'ENOENT' });
    if (process.platform === 'linux') expect(await lowestPriorityThreads()).toBe(niced);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it.each([
  ['sqlite:./data/parley.db', { dialect: 'sqlite', file: './data/parley.db' }],
  ['sqlite:///var/lib/parley.db', { dialect: 'sqlite', file: '/var/lib/parley.db' }],
  ['sqlite::memory:', { dialect: 'sqlite', file: ':memory:' }],
  ['postgres://u:p@h:5432/db?schema=t1', { dialect: 'postgres', connectionString: 'postgres://u:p@h:5432/db', schema: 't1' }],
  ['postgresql://h/db', { dialect: 'postgres', connectionString: 'postgresql://h/db', schema: undefined }],
])('parses %s', (url, expected) => {
  expect(parseDatabaseUrl(url)).toEqual(expected);
});

it.each([
  ['mysql://u:secret@h/db', /expected sqlite:<file> or postgres:\/\/…, got "mysql:\/\/u:\*\*\*@h\/db"/],
  ['sqlite:', /expected a file/],
  ['postgres://h/db?schema=a;drop', /plain identifier/],
])('rejects %s', (url, message) => {
  expect(() => parseDatabaseUrl(url)).toThrow(message);
});

it('tells an unavailable database from a bad query', async () => {
  const down = await openDatabase('postgres://postgres@127.0.0.1:1/test');
  const refused = await sql`select 1`.execute(down.db).catch((err: unknown) => err);
  await down.close();
  expect(isDatabaseUnavailable(refused)).toBe(true);
  const dir = await mkdtemp(join(tmpdir(), 'parley-db-'));
  const local = await openDatabase(`sqlite:${join(dir, 'x.db')}`);
  try {
    const bad = await sql`select * from no_such_table`.execute(local.db).catch((err: unknown) => err);
    expect(isDatabaseUnavailable(bad)).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
  } finally {
    await local.close();
    await rm(dir, { recursive: true, force: true });
  }
});
