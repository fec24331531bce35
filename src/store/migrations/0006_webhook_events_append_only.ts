// Raw webhook events become an append-only log: the UNIQUE index on payload_hash goes. A random
// 64-character key put one random B-tree page into every intake write (about half the cost of
// storing an event on SQLite). Byte-identical redeliveries are now caught in memory by the intake's
// batcher, and the handlers are idempotent (messages by wamid, statuses merged monotonically), which
// is what makes a redelivery harmless anyway: Meta's re-batched redeliveries never matched the hash.
// SQLite cannot drop a column's UNIQUE constraint, so the table is rebuilt (one transaction).

import { sql, type Kysely } from 'kysely';

const COLUMNS = sql.raw('id, received_at, signature_ok, payload, payload_hash, status, attempts, claimed_until, processed_at, last_error, signer_hash');

async function rebuild(db: Kysely<any>, uniqueHash: boolean): Promise<void> {
  const run = async (trx: Kysely<any>): Promise<void> => {
    await trx.schema
      .createTable('webhook_events_rebuilt')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('signature_ok', 'integer', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('payload_hash', 'text', (c) => (uniqueHash ? c.notNull().unique() : c.notNull()))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('claimed_until', 'bigint')
      .addColumn('processed_at', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('signer_hash', 'text')
      .execute();
    // Going back to a unique hash keeps the first copy of each payload.
    const source = uniqueHash
      ? sql`select ${COLUMNS} from webhook_events w where w.id = (select min(d.id) from webhook_events d where d.payload_hash = w.payload_hash)`
      : sql`select ${COLUMNS} from webhook_events`;
    await sql`insert into webhook_events_rebuilt (${COLUMNS}) ${source}`.execute(trx);
    await trx.schema.dropTable('webhook_events').execute();
    await trx.schema.alterTable('webhook_events_rebuilt').renameTo('webhook_events').execute();
    await trx.schema.createIndex('webhook_events_claimable').on('webhook_events').columns(['status', 'claimed_until']).execute();
  };
  // PostgreSQL migrations already run in a transaction; Kysely runs SQLite's without one.
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, false);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, true);
}
