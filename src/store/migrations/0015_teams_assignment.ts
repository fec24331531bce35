// Teams and assignment (issue 14): teams with members, each conversation's assignee, team, priority,
// snooze and how long the customer has been waiting, an assignment history with notes, and the
// workspace's agent visibility setting. Two list indexes only: each costs a write per message (issue 13).

import type { Kysely } from 'kysely';

const LISTINGS: Array<[name: string, columns: string[]]> = [
  ['conversations_assignee_listing', ['workspace_id', 'assignee_id', 'last_message_at', 'id']],
  ['conversations_team_listing', ['workspace_id', 'team_id', 'last_message_at', 'id']],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('teams_workspace_name', ['workspace_id', 'name'])
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  // viewerOf reads a user's teams on every request.
  await db.schema.createIndex('team_members_user').on('team_members').columns(['workspace_id', 'user_id']).execute();

  // One column per statement: SQLite's ALTER TABLE adds one column at a time. The ids are checked by
  // the service (no foreign key: a deleted team or user is cleared in the same transaction).
  await db.schema.alterTable('conversations').addColumn('assignee_id', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('team_id', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('priority', 'text', (c) => c.notNull().defaultTo('none')).execute();
  await db.schema.alterTable('conversations').addColumn('snoozed_until', 'bigint').execute();
  /** First customer message not yet answered by an outbound one (see store/queries/conversations.ts). */
  await db.schema.alterTable('conversations').addColumn('waiting_since', 'bigint').execute();
  for (const [name, columns] of LISTINGS) await db.schema.createIndex(name).on('conversations').columns(columns).execute();

  await db.schema
    .createTable('conversation_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('assignee_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('by_user_id', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_assignments_conversation').on('conversation_assignments')
    .columns(['workspace_id', 'conversation_id', 'created_at']).execute();

  await db.schema.alterTable('workspaces').addColumn('agent_visibility', 'text', (c) => c.notNull().defaultTo('all')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('agent_visibility').execute();
  await db.schema.dropTable('conversation_assignments').execute();
  for (const [name] of LISTINGS) await db.schema.dropIndex(name).execute();
  for (const column of ['waiting_since', 'snoozed_until', 'priority', 'team_id', 'assignee_id']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
  await db.schema.dropTable('team_members').execute();
  await db.schema.dropTable('teams').execute();
}
