// Kysely's SQLite dialect with a second, read-only connection for plain SELECTs outside a transaction.
//
// With one connection, every query waits while a transaction is open (Kysely's mutex), even one that
// only reads: a webhook batch holding its transaction for 10 ms held every API read and inbox list
// for as long, and requests could never reach a transaction while one was open, so none shared its
// COMMIT (store/group-commit.ts). In WAL mode a reader does not wait for a writer: a SELECT outside a
// transaction runs on the reader at once and sees what was last committed (as on PostgreSQL: read
// committed; a caller never sees a transaction's writes before its COMMIT). Writes, transactions and
// anything that is not a plain SELECT still go to the writer, one at a time, as before.

import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely';

const PLAIN_SELECT = /^\s*select\b/i;

export function splitSqliteDialect(writer: SqliteDatabase.Database, reader: SqliteDatabase.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SplitDriver(writer, reader),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

function run<R>(db: SqliteDatabase.Database, query: CompiledQuery): QueryResult<R> {
  const stmt = db.prepare(query.sql);
  const parameters = query.parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/** The writer, one user at a time (a transaction holds it from BEGIN to COMMIT). */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let unlock!: () => void;
    const next = new Promise<void>((resolve) => { unlock = resolve; });
    const ready = this.tail.then(() => unlock);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

class SplitDriver implements Driver {
  private readonly writerLock = new Mutex();
  constructor(private readonly writer: SqliteDatabase.Database, private readonly reader: SqliteDatabase.Database) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SplitConnection(this.writer, this.reader, this.writerLock);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SplitConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SplitConnection).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SplitConnection).end('rollback');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as SplitConnection).release();
  }

  async destroy(): Promise<void> {
    this.reader.close();
    this.writer.close();
  }
}

/** One acquisition: a single query, or a transaction (which holds the writer until it ends). */
class SplitConnection implements DatabaseConnection {
  private unlock: (() => void) | null = null;
  private inTransaction = false;

  constructor(private readonly writer: SqliteDatabase.Database, private readonly reader: SqliteDatabase.Database, private readonly lock: Mutex) {}

  async begin(): Promise<void> {
    if (!this.unlock) this.unlock = await this.lock.lock();
    run(this.writer, CompiledQuery.raw('begin'));
    this.inTransaction = true;
  }

  async end(how: 'commit' | 'rollback'): Promise<void> {
    try {
      run(this.writer, CompiledQuery.raw(how));
    } finally {
      this.inTransaction = false;
      this.release();
    }
  }

  release(): void {
    if (this.inTransaction) return;
    const unlock = this.unlock;
    this.unlock = null;
    unlock?.();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.inTransaction && PLAIN_SELECT.test(query.sql)) return run<R>(this.reader, query);
    if (this.unlock) return run<R>(this.writer, query);
    // A write outside a transaction: waits for the writer (never runs inside someone's transaction).
    this.unlock = await this.lock.lock();
    try {
      return run<R>(this.writer, query);
    } finally {
      this.release();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Parley does not stream SQLite queries');
  }
}
