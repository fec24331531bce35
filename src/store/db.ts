// Opens the database behind DATABASE_URL: better-sqlite3 (WAL) or a pg Pool, both under Kysely,
// plus the transaction helper every multi-statement write uses.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { parseDatabaseUrl } from './database-url.js';
import { GroupCommit } from './group-commit.js';
import { splitSqliteDialect } from './sqlite-split.js';
import type { Tables } from './rows.js';

export type DialectName = 'sqlite' | 'postgres';
/** A Kysely handle or a transaction; every query function takes one. */
export type Db = Kysely<Tables>;

export interface Database {
  db: Kysely<Tables>;
  dialect: DialectName;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** How long SQLite waits for another connection's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Told when SQLite's background checkpointer fails (it keeps trying; the writer's own checkpoints still bound the WAL). */
  onCheckpointError?: (message: string) => void;
}

export async function openDatabase(url: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') return openSqlite(target.file, opts);
  return openPostgres(target.connectionString, target.schema, opts);
}

function openSqlite(file: string, opts: OpenDatabaseOptions): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
  cachePreparedStatements(sqlite);
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(sqlite, file, opts);
  const db = new Kysely<Tables>({ dialect: file === ':memory:' ? new SqliteDialect({ database: sqlite }) : splitSqliteDialect(sqlite, openReader(file, opts)) });
  return {
    db, dialect: 'sqlite',
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** The read-only connection for plain SELECTs outside transactions (store/sqlite-split.ts). */
function openReader(file: string, opts: OpenDatabaseOptions): SqliteDatabase.Database {
  const reader = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  reader.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
  cachePreparedStatements(reader);
  return reader;
}

/** The writer checkpoints by itself only past this many WAL pages (≈ 40 MB): a safety net. */
const WRITER_AUTOCHECKPOINT_PAGES = 10_000;
const CHECKPOINT_EVERY_MS = 50;

/**
 * Moves WAL checkpoints off the event loop: a worker thread with its own connection checkpoints
 * every CHECKPOINT_EVERY_MS (see sqlite-checkpointer.mjs). With SQLite's default, the connection that
 * commits the 1,000th WAL page copies the pages into the database file and fsyncs both files, on
 * the event loop, several times a second under a busy webhook intake. Two intakes in one process
 * under the same load, rounds alternating: the one with this thread stored 1.04, 1.10 and 1.10 times
 * as many webhooks per second as the one without (medians of 8 rounds, three runs). On Linux the
 * thread runs at the lowest priority, so it does not take a core from the event loop.
 */
function startCheckpointer(sqlite: SqliteDatabase.Database, file: string, opts: OpenDatabaseOptions): { stop(): Promise<void> } {
  sqlite.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
  const worker = new Worker(new URL('./sqlite-checkpointer.mjs', import.meta.url), { workerData: { file, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  let running = true;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => { running = false; resolve(); }));
  worker.on('message', (message: { error?: string }) => { if (message.error) opts.onCheckpointError?.(message.error); });
  // A thread that died cannot take the process with it; the writer's autocheckpoint takes over.
  worker.on('error', (err) => opts.onCheckpointError?.(err.message));
  return {
    async stop() {
      if (!running) return;
      worker.postMessage('stop');
      await exited;
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement anew; Parley's queries are a small fixed set of
 * SQL texts, so preparing each once saves 5–15 % of CPU on hot paths (measured on the sender).
 * Safe because the driver runs one statement at a time on this connection and never streams.
 */
function cachePreparedStatements(sqlite: SqliteDatabase.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

// int8 (count(*), bigint epoch ms) and numeric (sum()) arrive as strings by default; epoch ms and
// micro-amounts fit in a double, so this pool (only this one: no global pg.types change) parses them.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const numberTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if ((oid === INT8_OID || oid === NUMERIC_OID) && format !== 'binary') {
      return (value: string) => (value === null ? null : Number(value));
    }
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

async function openPostgres(connectionString: string, schema: string | undefined, opts: OpenDatabaseOptions): Promise<Database> {
  if (schema !== undefined) await createSchema(connectionString, schema);
  const pool = new pg.Pool({
    connectionString,
    max: opts.poolSize ?? 10,
    types: numberTypes,
    ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Nor a checked-out one: pg emits 'error' on the client as well as failing its query, and the pool
  // listens only while the client is idle. The query's rejection is what callers see (and map to 503).
  pool.on('connect', (client) => { client.on('error', () => {}); });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

async function createSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    // Two processes creating the same schema at once: the loser sees a unique violation.
    if ((err as { code?: string }).code !== '23505') throw err;
  } finally {
    await client.end();
  }
}

/** Which SQL dialect a handle (or transaction) speaks. */
export function dialectOf(db: Db): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Runs fn in a transaction; inside one already, fn joins it. SQLite has one connection per process,
 * so Kysely serialises everything else behind an open transaction; transactions that queue up behind
 * one share its commit (store/group-commit.ts). fn's result is returned once it is committed.
 */
export async function withTransaction<T>(db: Db, fn: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Tables>);
  if (dialectOf(db) === 'postgres') return db.transaction().execute(fn);
  let group = groups.get(db);
  if (!group) groups.set(db, group = new GroupCommit(db));
  return group.run(fn);
}

const groups = new WeakMap<Db, GroupCommit<Tables>>();

/**
 * Runs fn in a transaction that holds the lock named `key` until it ends, so a decision that reads
 * then writes (a budget counted, then a slot taken) cannot interleave with another one under the
 * same key. PostgreSQL: a transaction-scoped advisory lock, which holds across processes. SQLite: the
 * transaction itself, since the process's one connection runs nothing else until it ends.
 */
export async function withLock<T>(db: Db, key: string, fn: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
  return withTransaction(db, async (trx) => {
    if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
    return fn(trx);
  });
}

const UNAVAILABLE_NET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const UNAVAILABLE_SQLITE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOMEM)/;

/**
 * Whether an error means "the database cannot take this now" (connection lost or refused, server
 * shutting down, too many connections, disk full or locked) rather than a bad query or constraint;
 * webhook intake answers 503 for these so Meta retries.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    const message = err instanceof Error ? err.message : '';
    return /Connection terminated|timeout exceeded when trying to connect|driver has already been destroyed|not queryable|database connection is not open/i.test(message);
  }
  // PostgreSQL SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (operator intervention).
  return UNAVAILABLE_NET.has(code) || /^(08|53|57P)/.test(code) || UNAVAILABLE_SQLITE.test(code);
}
