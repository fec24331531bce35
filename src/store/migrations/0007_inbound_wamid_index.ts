// Only inbound messages keep a unique (inbox_id, wamid) index: it is what stores each received
// message once. An outbound message's wamid arrives with Meta's send answer and is random, so
// indexing it put one random B-tree page into every recorded send — on SQLite about half the cost of
// recording a send (measured with the send bench), and a page per message on a large table. Outbound
// messages are found by our own id, which Meta echoes in biz_opaque_callback_data on every status,
// or among their contact's messages (see findMessageByWamid).
// SQLite cannot drop a table constraint, so there `messages` is rebuilt the documented way: foreign
// keys off, one transaction, the table's own SQL minus the constraint, its indexes recreated, and a
// foreign_key_check before commit.

import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../db.js';

const CONSTRAINT = ', constraint "messages_inbox_wamid" unique ("inbox_id", "wamid")';
const INBOUND_INDEX = `create unique index "messages_inbound_wamid" on "messages" ("inbox_id", "wamid") where direction = 'in'`;

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`alter table messages drop constraint messages_inbox_wamid`.execute(db);
    await sql.raw(INBOUND_INDEX).execute(db);
    return;
  }
  await rebuildSqlite(db, (create) => {
    if (!create.includes(CONSTRAINT)) throw new Error('messages has no messages_inbox_wamid constraint to drop');
    return create.replace(CONSTRAINT, '');
  }, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop index messages_inbound_wamid`.execute(db);
    await sql`alter table messages add constraint messages_inbox_wamid unique (inbox_id, wamid)`.execute(db);
    return;
  }
  await rebuildSqlite(db, (create) => `${create.replace(/\)\s*$/, '')}${CONSTRAINT})`, false);
}

async function rebuildSqlite(db: Kysely<any>, reshape: (createSql: string) => string, inboundIndex: boolean): Promise<void> {
  const { rows: [fk] } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  // Dropping the old table must not cascade into outbox rows; the pragma is ignored inside a transaction.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    // Kysely runs SQLite's migrations outside a transaction (so the pragma above takes effect).
    await db.transaction().execute(async (trx) => {
      const { rows: [table] } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'messages'`.execute(trx);
      if (!table) throw new Error('no messages table');
      const { rows: indexes } = await sql<{ name: string; sql: string }>`
        select name, sql from sqlite_master
        where type = 'index' and tbl_name = 'messages' and sql is not null and name <> 'messages_inbound_wamid'`.execute(trx);
      const create = reshape(table.sql).replace(/^create table "messages"/i, 'create table "messages_rebuilt"');
      if (!create.startsWith('create table "messages_rebuilt"')) throw new Error(`unexpected messages table SQL: ${table.sql.slice(0, 60)}`);
      await sql.raw(create).execute(trx);
      await sql`insert into messages_rebuilt select * from messages`.execute(trx);
      await sql`drop table messages`.execute(trx);
      await sql`alter table messages_rebuilt rename to messages`.execute(trx);
      for (const index of indexes) await sql.raw(index.sql).execute(trx);
      if (inboundIndex) await sql.raw(INBOUND_INDEX).execute(trx);
      const { rows: broken } = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.length > 0) throw new Error(`rebuilding messages would break ${broken.length} foreign key(s)`);
    });
  } finally {
    if (fk?.foreign_keys) await sql`pragma foreign_keys = on`.execute(db);
  }
}
