// Test databases for adapter contract tests: every store suite runs on SQLite AND PostgreSQL.
//
// Usage (one describe per dialect, one fresh migrated database per test file and dialect):
//
//   import { forEachDatabase } from '../helpers/databases.js';
//   forEachDatabase('contacts', (get) => {
//     it('upserts', async () => { const { db } = get(); ... });
//   });
//
// Or by hand: `const t = await openTestDatabase('postgres'); ... await t.dispose();`
// `t.openAnother()` opens a second, independent connection to the same database (concurrency tests).
//
// SQLite: a file in a fresh temp directory, removed on dispose.
// PostgreSQL: a unique schema in the database at TEST_DATABASE_URL (test-env.ts; by default
// postgres://postgres@127.0.0.1:5432/test), dropped on dispose. PostgreSQL is REQUIRED: a failed
// connection fails the suite, it never skips. Tests in one file share the database, so give each
// test its own workspace (or clean the system queues it uses).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Database, type DialectName } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { TEST_DATABASE_URL } from './test-env.js';

export const DATABASES: readonly DialectName[] = ['sqlite', 'postgres'];

export const POSTGRES_TEST_URL = TEST_DATABASE_URL;

export interface TestDatabase {
  kind: DialectName;
  /** The DATABASE_URL of this database (for code under test that opens its own connection). */
  url: string;
  database: Database;
  /** A second connection pool to the same database; closed by dispose. */
  openAnother(): Promise<Database>;
  dispose(): Promise<void>;
}

/** A fresh, migrated (unless migrate: false) database of the given kind. */
export async function openTestDatabase(kind: DialectName, opts: { migrate?: boolean; label?: string } = {}): Promise<TestDatabase> {
  const label = (opts.label ?? 'store').toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 24);
  const unique = `${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  let dir: string | undefined;
  let schema: string | undefined;
  let url: string;
  if (kind === 'sqlite') {
    dir = await mkdtemp(join(tmpdir(), 'parley-test-'));
    url = `sqlite:${join(dir, 'parley.db')}`;
  } else {
    schema = `t_${unique}`;
    const base = new URL(POSTGRES_TEST_URL);
    base.searchParams.set('schema', schema);
    url = base.toString();
  }
  const database = await openDatabase(url);
  const others: Database[] = [];
  if (opts.migrate !== false) await migrateToLatest(database.db);
  return {
    kind,
    url,
    database,
    async openAnother() {
      const other = await openDatabase(url);
      others.push(other);
      return other;
    },
    async dispose() {
      for (const other of others) await other.close();
      await database.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      if (schema !== undefined) await dropSchema(schema);
    },
  };
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Declares `describe('<name> [sqlite]')` and `describe('<name> [postgres]')`, each with a fresh
 * migrated database for its tests; `get()` returns it (call it inside tests or hooks).
 */
export function forEachDatabase(name: string, body: (get: () => TestDatabase & { db: Database['db'] }) => void): void {
  for (const kind of DATABASES) {
    describe(`${name} [${kind}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await openTestDatabase(kind, { label: name });
      });
      afterAll(async () => {
        await current?.dispose();
      });
      body(() => {
        if (!current) throw new Error(`test database for ${kind} is not open (used outside a test?)`);
        return Object.assign(current, { db: current.database.db });
      });
    });
  }
}
