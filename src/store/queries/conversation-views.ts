// Conversations as the read API shows them: each row with its contact, its last message and how
// much of it is unread — one query per page (joins and correlated subqueries served by indexes),
// never a query per row. Also recording how far an operator has read. The visibility rule and the
// folders (core/visibility.ts predicates) become SQL here, in scopeSql.

import { sql, type ExpressionBuilder } from 'kysely';
import { previewOf } from '../../core/message-preview.js';
import type { ScopeCondition, ScopePredicate } from '../../core/visibility.js';
import type { SlaState } from '../../core/sla.js';
import { SERVICE_WINDOW_MS } from '../../core/window.js';
import { fromJson } from '../codec.js';
import { decodeCursor, pageSize, toPage, type Page } from '../cursor.js';
import type { Db } from '../db.js';
import type { MessageStatus, Tables } from '../rows.js';
import { toConversationRecord, type ConversationFilter, type ConversationRecord } from './conversations.js';
import { slaAmberPercentSql, slaBusinessHoursSql, slaStateOfRow, slaTargetMinutesSql } from './sla.js';

/** Unread counts stop here (a list shows "100+"): counting stays bounded however long the backlog. */
export const UNREAD_CAP = 100;

export interface ConversationView extends ConversationRecord {
  contact: { id: string; name: string | null; e164: string | null; waId: string };
  lastMessage: { id: string; direction: 'in' | 'out'; type: string; preview: string | null; status: MessageStatus; createdAt: number } | null;
  lastReadAt: number | null;
  /** Customer messages after lastReadAt (all of them if never read), at most UNREAD_CAP. */
  unreadCount: number;
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  /** Meta time of the oldest customer message not answered yet; null when the business wrote last. */
  waitingSince: number | null;
  /** The response-time target of that wait (queries/sla.ts); null when nobody waits, snoozed or resolved. */
  sla: SlaState | null;
}

type Eb = ExpressionBuilder<Tables & { c: Tables['conversations'] }, 'c'>;

/** The newest message of the conversation (messages_conversation index: one seek). */
const lastMessageId = (eb: Eb) => eb.selectFrom('messages as lm').select('lm.id')
  .whereRef('lm.conversation_id', '=', 'c.id').orderBy('lm.created_at', 'desc').orderBy('lm.id', 'desc').limit(1);

/** Inbound messages newer than the read mark, counted over at most UNREAD_CAP rows. */
const unreadCount = sql<number>`(select count(*) from (
  select 1 from messages um
  where um.conversation_id = c.id and um.direction = 'in' and um.created_at > coalesce(c.last_read_at, -1)
  limit ${sql.lit(UNREAD_CAP)}) unread)`;

/** The wait that counts: waiting_since while no business message came after the customer's last one. */
const waitingSince = sql<number | null>`(case when c.last_inbound_at is not null and c.last_message_at <= c.last_inbound_at then c.waiting_since end)`;
/** Sort keys as one number each, so the keyset cursor stays (at, id): no wait sorts last. */
const NO_WAIT = Number.MAX_SAFE_INTEGER;
const waitingKey = sql<number>`coalesce(${waitingSince}, ${sql.lit(NO_WAIT)})`;
/** Priority rank × 10^13 + last activity: highest priority first, then most recent (epoch ms < 10^13 until 2286). */
const priorityKey = sql<number>`((case c.priority when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end) * 10000000000000 + c.last_message_at)`;
const PRIORITY_RANK = { none: 0, low: 1, medium: 2, high: 3, urgent: 4 } as const;

function viewQuery(db: Db, workspaceId: string, opts: { byIds?: string[] } = {}) {
  const query = db.selectFrom('conversations as c')
    .innerJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .leftJoin('messages as m', (join) => join.on((eb) => eb('m.id', '=', lastMessageId(eb as unknown as Eb))))
    .leftJoin('users as au', (join) => join.onRef('au.id', '=', 'c.assignee_id').on('au.workspace_id', '=', workspaceId))
    .leftJoin('teams as tm', (join) => join.onRef('tm.id', '=', 'c.team_id').on('tm.workspace_id', '=', workspaceId))
    .selectAll('c')
    .select([
      'ct.name as contact_name', 'ct.e164 as contact_e164', 'ct.wa_id as contact_wa_id',
      'm.id as m_id', 'm.direction as m_direction', 'm.type as m_type', 'm.content as m_content',
      'm.status as m_status', 'm.created_at as m_created_at', unreadCount.as('unread_count'),
      'au.name as assignee_name', 'tm.name as team_name', waitingSince.as('waiting_effective'),
      slaTargetMinutesSql(waitingSince).as('sla_target_minutes'), slaAmberPercentSql().as('sla_amber_percent'),
      slaBusinessHoursSql().as('sla_business_hours'),
    ]);
  return opts.byIds ? query.where('c.id', 'in', opts.byIds) : query.where('c.workspace_id', '=', workspaceId);
}

type ScopeEb = ExpressionBuilder<Tables & { c: Tables['conversations'] }, 'c'>;
const COLUMN = { assigneeId: 'c.assignee_id', teamId: 'c.team_id' } as const;

function conditionSql(eb: ScopeEb, c: ScopeCondition) {
  const column = COLUMN[c.field];
  if (c.op === 'null') return eb(column, 'is', null);
  if (c.op === 'eq') return eb(column, '=', c.value);
  return c.values.length === 0 ? NOTHING : eb(column, 'in', c.values);
}

const NOTHING = sql<boolean>`1 = 0`;

/** The SQL twin of core/visibility.ts matchesPredicate: the same clauses, ORed, each ANDed. */
export function scopeSql(eb: ScopeEb, predicate: ScopePredicate) {
  if (predicate === true) return sql<boolean>`1 = 1`;
  if (predicate.length === 0) return NOTHING;
  return eb.or(predicate.map((clause) => eb.and(clause.map((c) => conditionSql(eb, c)))));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['execute']>>[number];

function toView(row: ViewRow, now: number): ConversationView {
  const {
    contact_name, contact_e164, contact_wa_id, m_id, m_direction, m_type, m_content, m_status, m_created_at, unread_count,
    assignee_name, team_name, waiting_effective, sla_target_minutes, sla_amber_percent, sla_business_hours, ...conversation
  } = row;
  return {
    ...toConversationRecord(conversation),
    contact: { id: conversation.contact_id, name: contact_name, e164: contact_e164, waId: contact_wa_id },
    lastMessage: m_id === null || m_type === null
      ? null
      : { id: m_id, direction: m_direction!, type: m_type, preview: previewOf(m_type, fromJson(m_content!)), status: m_status!, createdAt: Number(m_created_at) },
    lastReadAt: conversation.last_read_at === null ? null : Number(conversation.last_read_at),
    unreadCount: Number(unread_count),
    assignee: conversation.assignee_id === null ? null : { id: conversation.assignee_id, name: assignee_name ?? '' },
    team: conversation.team_id === null || team_name === null ? null : { id: conversation.team_id, name: team_name },
    waitingSince: waiting_effective === null ? null : Number(waiting_effective),
    sla: waiting_effective === null || sla_target_minutes === null ? null
      : slaStateOfRow(Number(waiting_effective), Number(sla_target_minutes), Number(sla_amber_percent), sla_business_hours, now),
  };
}

/** A view's sort key under `sort`, as the cursor carries it. */
function keyOf(sort: ConversationFilter['sort']): (c: ConversationView) => { at: number; id: string } {
  if (sort === 'waiting') return (c) => ({ at: c.waitingSince ?? NO_WAIT, id: c.id });
  if (sort === 'priority') return (c) => ({ at: PRIORITY_RANK[c.priority] * 10_000_000_000_000 + c.lastMessageAt, id: c.id });
  return (c) => ({ at: c.lastMessageAt, id: c.id });
}

/**
 * Most recently active first: keyset on (last_message_at desc, id desc); each filter has an index in
 * that order (0012). Two steps: the page's ids (conversations only, where an order without an index
 * sorts narrow rows), then their views (contact, last message, unread count) for those rows alone —
 * one query, the subqueries never run for rows that are sorted away.
 */
export async function listConversationViews(db: Db, workspaceId: string, filter: ConversationFilter = {}): Promise<Page<ConversationView>> {
  const limit = pageSize(filter.limit);
  const ids = (await conversationListQuery(db, workspaceId, filter).execute()).map((r) => r.id);
  const views = ids.length === 0 ? [] : await viewsByIds(db, workspaceId, ids, filter.now ?? Date.now());
  const byId = new Map(views.map((view) => [view.id, view]));
  const ordered = ids.map((id) => byId.get(id)).filter((v): v is ConversationView => v !== undefined);
  return toPage(ordered, limit, keyOf(filter.sort));
}

/**
 * The views of conversations found by id. Only by primary key: with `workspace_id = ?` in the
 * statement as well, SQLite (no ANALYZE) walked a workspace index over every conversation instead;
 * the ids come from a workspace-filtered query, and the workspace is checked again on each row.
 */
async function viewsByIds(db: Db, workspaceId: string, ids: string[], now: number): Promise<ConversationView[]> {
  const rows = await viewQuery(db, workspaceId, { byIds: ids }).execute();
  return rows.filter((row) => row.workspace_id === workspaceId).map((row) => toView(row, now));
}

/** The page's ids, in order (exported so a test can check its plan). */
export function conversationListQuery(db: Db, workspaceId: string, filter: ConversationFilter) {
  const limit = pageSize(filter.limit);
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  let query = db.selectFrom('conversations as c').select('c.id').where('c.workspace_id', '=', workspaceId);
  if (filter.inboxId !== undefined) query = query.where('c.inbox_id', '=', filter.inboxId);
  if (filter.state !== undefined) query = query.where('c.state', '=', filter.state);
  if (filter.contactId !== undefined) query = query.where('c.contact_id', '=', filter.contactId);
  if (filter.assigneeId !== undefined) query = query.where('c.assignee_id', '=', filter.assigneeId);
  if (filter.teamId !== undefined) query = query.where('c.team_id', '=', filter.teamId);
  if (filter.priority !== undefined) query = query.where('c.priority', '=', filter.priority);
  if (filter.window !== undefined) {
    // The same edge as core/window.ts isWindowOpen: open while now < last_inbound_at + 24 h.
    const since = (filter.now ?? Date.now()) - SERVICE_WINDOW_MS;
    query = filter.window === 'open'
      ? query.where('c.last_inbound_at', '>', since)
      : query.where((eb) => eb.or([eb('c.last_inbound_at', 'is', null), eb('c.last_inbound_at', '<=', since)]));
  }
  for (const predicate of filter.scopes ?? []) {
    if (predicate !== true) query = query.where((eb) => scopeSql(eb as unknown as ScopeEb, predicate));
  }
  if (filter.sort === 'waiting' || filter.sort === 'priority') {
    const key = filter.sort === 'waiting' ? waitingKey : priorityKey;
    const dir = filter.sort === 'waiting' ? 'asc' : 'desc';
    const cmp = dir === 'asc' ? '>' : '<';
    if (after) {
      query = query.where((eb) => eb.or([eb(key, cmp, after.at), eb.and([eb(key, '=', after.at), eb('c.id', cmp, after.id)])]));
    }
    return query.orderBy(key, dir).orderBy('c.id', dir).limit(limit + 1);
  }
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('c.last_message_at', '<', after.at), eb.and([eb('c.last_message_at', '=', after.at), eb('c.id', '<', after.id)])]),
    );
  }
  return query.orderBy('c.last_message_at', 'desc').orderBy('c.id', 'desc').limit(limit + 1);
}

/** Folder badges stop here (a folder shows "1000+"): counting stays bounded on a large inbox. */
export const COUNT_CAP = 1000;

/** How many conversations match (and how many of them have unread customer messages), each at most COUNT_CAP. */
export async function countConversationViews(db: Db, workspaceId: string, filter: ConversationFilter): Promise<{ total: number; unread: number }> {
  const base = (unreadOnly: boolean) => {
    let query = db.selectFrom('conversations as c').select(sql.lit(1).as('one')).where('c.workspace_id', '=', workspaceId);
    if (filter.inboxId !== undefined) query = query.where('c.inbox_id', '=', filter.inboxId);
    if (filter.state !== undefined) query = query.where('c.state', '=', filter.state);
    for (const predicate of filter.scopes ?? []) {
      if (predicate !== true) query = query.where((eb) => scopeSql(eb as unknown as ScopeEb, predicate));
    }
    if (unreadOnly) {
      query = query.where(sql<boolean>`exists (select 1 from messages um where um.conversation_id = c.id and um.direction = 'in' and um.created_at > coalesce(c.last_read_at, -1))`);
    }
    return query.limit(COUNT_CAP);
  };
  const count = async (unreadOnly: boolean) => {
    const row = await db.selectFrom(base(unreadOnly).as('capped')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return { total: await count(false), unread: await count(true) };
}

/** `now` is Parley's clock (deps.now()): the SLA status depends on it. */
export async function getConversationView(db: Db, workspaceId: string, conversationId: string, now = Date.now()): Promise<ConversationView | undefined> {
  const row = await viewQuery(db, workspaceId).where('c.id', '=', conversationId).executeTakeFirst();
  return row && toView(row, now);
}

/** The conversation's newest customer message that carries a wamid (what a read receipt names). */
export async function lastInboundMessage(db: Db, workspaceId: string, conversationId: string): Promise<{ id: string; wamid: string; createdAt: number } | undefined> {
  const row = await db.selectFrom('messages').select(['id', 'wamid', 'created_at'])
    .where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId)
    .where('direction', '=', 'in').where('wamid', 'is not', null)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && row.wamid !== null ? { id: row.id, wamid: row.wamid, createdAt: Number(row.created_at) } : undefined;
}

/** Moves the read mark forward to `readAt` (never back: a late request cannot unread newer messages). */
export async function recordRead(db: Db, workspaceId: string, conversationId: string, readAt: number, now: number): Promise<void> {
  await db.updateTable('conversations').set({ last_read_at: readAt, updated_at: now })
    .where('workspace_id', '=', workspaceId).where('id', '=', conversationId)
    .where((eb) => eb.or([eb('last_read_at', 'is', null), eb('last_read_at', '<', readAt)]))
    .execute();
}
