// Contacts remember when an allowed message outside the customer service window last went to them
// (`limit_counted_at`), so the portfolio's messaging limit — unique such recipients in a moving 24 h —
// is an index count over contacts. It was a count of distinct contacts over every such message of the
// last 24 h, read on each send: queueing a broadcast slowed from ≈ 500 to ≈ 150 msg/s over its first
// 10,000 messages (measured), and would have crawled at the 100K tier.

import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('limit_counted_at', 'bigint').execute();
  // Existing history: the latest counted message per contact (the rule of recountLimitRecipient in queries/messages.ts).
  await sql`
    update contacts set limit_counted_at = (
      select max(m.created_at) from messages m
      where m.workspace_id = contacts.workspace_id and m.contact_id = contacts.id
        and m.direction = 'out' and m.outside_window = 1 and m.status in ('queued', 'sent', 'delivered', 'read')
    )`.execute(db);
  await db.schema.createIndex('contacts_limit_counted').on('contacts').columns(['workspace_id', 'limit_counted_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contacts_limit_counted').execute();
  await db.schema.alterTable('contacts').dropColumn('limit_counted_at').execute();
}
