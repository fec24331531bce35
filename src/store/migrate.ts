// The one migration chain, listed statically (no filesystem scan) so it runs the same under tsx,
// the compiled build and a bundle. Append new migrations to MIGRATIONS; never edit applied ones.

import { Migrator, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';
import { dialectOf } from './db.js';
import * as initial from './migrations/0001_initial.js';
import * as messagesByContact from './migrations/0002_messages_by_contact.js';
import * as marketingPreferenceTime from './migrations/0003_marketing_preference_time.js';
import * as webhookEventSigner from './migrations/0004_webhook_event_signer.js';
import * as entryPointInbound from './migrations/0005_entry_point_inbound.js';
import * as webhookEventsAppendOnly from './migrations/0006_webhook_events_append_only.js';
import * as inboundWamidIndex from './migrations/0007_inbound_wamid_index.js';
import * as outboxWorkspaceIndex from './migrations/0008_outbox_workspace_index.js';
import * as contactLimitCounted from './migrations/0009_contact_limit_counted.js';
import * as webhookEventsClaimOrder from './migrations/0010_webhook_events_claim_order.js';
import * as readApiIndexes from './migrations/0012_read_api_indexes.js';
import * as users from './migrations/0013_users.js';
import * as sessions from './migrations/0014_sessions.js';
import * as teamsAssignment from './migrations/0015_teams_assignment.js';
import * as changesIndex from './migrations/0016_changes_index.js';
import * as search from './migrations/0017_search.js';
import * as cannedReplies from './migrations/0018_canned_replies.js';
import * as outboxLanesContactHistory from './migrations/0011_outbox_lanes_contact_history.js';
import * as sla from './migrations/0019_sla.js';
import * as notes from './migrations/0020_notes.js';
import * as windowIndex from './migrations/0021_window_index.js';
import * as scheduledMessages from './migrations/0024_scheduled_messages.js';
import * as routing from './migrations/0022_routing.js';
import * as csat from './migrations/0023_csat.js';
import * as businessHours from './migrations/0025_business_hours.js';
import * as languages from './migrations/0026_languages.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_messages_by_contact': messagesByContact,
  '0003_marketing_preference_time': marketingPreferenceTime,
  '0004_webhook_event_signer': webhookEventSigner,
  '0005_entry_point_inbound': entryPointInbound,
  '0006_webhook_events_append_only': webhookEventsAppendOnly,
  '0007_inbound_wamid_index': inboundWamidIndex,
  '0008_outbox_workspace_index': outboxWorkspaceIndex,
  '0009_contact_limit_counted': contactLimitCounted,
  '0010_webhook_events_claim_order': webhookEventsClaimOrder,
  '0012_read_api_indexes': readApiIndexes,
  '0013_users': users,
  '0014_sessions': sessions,
  '0015_teams_assignment': teamsAssignment,
  '0016_changes_index': changesIndex,
  '0017_search': search,
  '0018_canned_replies': cannedReplies,
  '0011_outbox_lanes_contact_history': outboxLanesContactHistory,
  '0019_sla': sla,
  '0020_notes': notes,
  '0021_window_index': windowIndex,
  '0024_scheduled_messages': scheduledMessages,
  '0022_routing': routing,
  '0023_csat': csat,
  '0025_business_hours': businessHours,
  '0026_languages': languages,
};

export class MigrationError extends Error {
  readonly results: MigrationResult[];
  constructor(cause: unknown, results: MigrationResult[]) {
    super(`Database migration failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
    this.results = results;
  }
}

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // On PostgreSQL, name the schema: Kysely checks for its bookkeeping tables across ALL schemas, so
  // another schema's kysely_migration table would otherwise make it skip creating ours.
  const schema = dialectOf(db) === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) throw new MigrationError(error, results);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === undefined || schema === null) throw new Error('PostgreSQL has no current schema (check search_path)');
  return schema;
}
