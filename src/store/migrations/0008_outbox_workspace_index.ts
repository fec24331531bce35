// The outbox loses its index on workspace_id. Rows live for seconds to minutes and are reached by id
// (claims by due time); the index only served counting one workspace's queue and cascading a deleted
// workspace, both rare and cheap as scans of a short queue. Keeping it cost a B-tree write per queued,
// claimed and sent message — about half the cost of deleting a sent row on SQLite (measured).

import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_workspace').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_workspace').on('outbox').column('workspace_id').execute();
}
