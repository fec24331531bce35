// Message templates as Meta knows them (synced from the WABA), so the policy can check a template's
// status, category and parameters before sending.

import { fromJson, toJson } from '../codec.js';
import { decodeCursor, pageSize, toPage, type Page } from '../cursor.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import { preparedQuery } from '../prepared.js';
import type { TemplateRow } from '../rows.js';

export interface TemplateRecord {
  id: string;
  workspaceId: string;
  inboxId: string | null;
  wabaId: string;
  name: string;
  language: string;
  /** MARKETING | UTILITY | AUTHENTICATION. */
  category: string;
  /** APPROVED | PENDING | REJECTED | PAUSED | DISABLED … */
  status: string;
  quality: string | null;
  /** positional | named. */
  parameterFormat: string;
  /** Meta's components array, verbatim. */
  components: unknown[];
  metaTemplateId: string | null;
  rejectedReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface TemplateUpsert {
  inboxId?: string | null;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  quality?: string | null;
  parameterFormat?: string;
  components: unknown[];
  metaTemplateId?: string | null;
  rejectedReason?: string | null;
  now?: number;
}

function toRecord(row: TemplateRow): TemplateRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    inboxId: row.inbox_id,
    wabaId: row.waba_id,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    quality: row.quality,
    parameterFormat: row.parameter_format,
    components: fromJson<unknown[]>(row.components),
    metaTemplateId: row.meta_template_id,
    rejectedReason: row.rejected_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts or replaces the template (workspace, waba, name, language). */
export async function upsertTemplate(db: Db, workspaceId: string, input: TemplateUpsert): Promise<TemplateRecord> {
  const now = input.now ?? Date.now();
  const row = await db
    .insertInto('templates')
    .values({
      id: newId('tpl', now),
      workspace_id: workspaceId,
      inbox_id: input.inboxId ?? null,
      waba_id: input.wabaId,
      name: input.name,
      language: input.language,
      category: input.category,
      status: input.status,
      quality: input.quality ?? null,
      parameter_format: input.parameterFormat ?? 'positional',
      components: toJson(input.components),
      meta_template_id: input.metaTemplateId ?? null,
      rejected_reason: input.rejectedReason ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'waba_id', 'name', 'language']).doUpdateSet((eb) => ({
        inbox_id: eb.fn.coalesce('excluded.inbox_id', 'templates.inbox_id'),
        category: eb.ref('excluded.category'),
        status: eb.ref('excluded.status'),
        quality: eb.fn.coalesce('excluded.quality', 'templates.quality'),
        parameter_format: eb.ref('excluded.parameter_format'),
        components: eb.ref('excluded.components'),
        meta_template_id: eb.fn.coalesce('excluded.meta_template_id', 'templates.meta_template_id'),
        rejected_reason: eb.ref('excluded.rejected_reason'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function findTemplate(
  db: Db,
  workspaceId: string,
  key: { wabaId: string; name: string; language: string },
): Promise<TemplateRecord | undefined> {
  const row = await TEMPLATE_BY_KEY.first(db, { workspaceId, ...key });
  return row && toRecord(row);
}

/** Every template send runs it: compiled once (store/prepared.ts). */
const TEMPLATE_BY_KEY = preparedQuery('templates.byKey', (db, p: { workspaceId: string; wabaId: string; name: string; language: string }) => db
  .selectFrom('templates')
  .selectAll()
  .where('workspace_id', '=', p.workspaceId)
  .where('waba_id', '=', p.wabaId)
  .where('name', '=', p.name)
  .where('language', '=', p.language));

export async function findTemplateByMetaId(db: Db, workspaceId: string, metaTemplateId: string): Promise<TemplateRecord | undefined> {
  const row = await db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).where('meta_template_id', '=', metaTemplateId).executeTakeFirst();
  return row && toRecord(row);
}

/** Applies a status/quality change from a template webhook; returns the template or undefined. */
export async function setTemplateStatus(
  db: Db,
  workspaceId: string,
  templateId: string,
  change: { status?: string; quality?: string | null; category?: string; rejectedReason?: string | null },
  now = Date.now(),
): Promise<TemplateRecord | undefined> {
  const row = await db
    .updateTable('templates')
    .set({ status: change.status, quality: change.quality, category: change.category, rejected_reason: change.rejectedReason, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', templateId)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function listTemplates(db: Db, workspaceId: string, filter: { wabaId?: string; status?: string } = {}): Promise<TemplateRecord[]> {
  let query = db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.wabaId !== undefined) query = query.where('waba_id', '=', filter.wabaId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('name').orderBy('language').execute();
  return rows.map(toRecord);
}

export interface TemplateFilter {
  inboxId?: string;
  status?: string;
  name?: string;
  language?: string;
  limit?: number;
  cursor?: string;
}

/** The read API's list: newest first, keyset on (created_at desc, id desc); name and language match exactly. */
export async function listTemplatePage(db: Db, workspaceId: string, filter: TemplateFilter = {}): Promise<Page<TemplateRecord>> {
  const limit = pageSize(filter.limit);
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  let query = db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.inboxId !== undefined) query = query.where('inbox_id', '=', filter.inboxId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status.toUpperCase());
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  if (filter.language !== undefined) query = query.where('language', '=', filter.language);
  if (after) {
    query = query.where((eb) => eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  return toPage(rows.map(toRecord), limit, (t) => ({ at: t.createdAt, id: t.id }));
}
