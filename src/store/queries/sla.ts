// SLA policies (workspace default '*' and per team), the workspace's business hours, the breaches
// already escalated, and the SQL the conversation views use to attach each waiting conversation's
// target (see core/sla.ts, core/business-hours.ts).

import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { BusinessHours } from '../../core/business-hours.js';
import { DEFAULT_SLA_POLICY, slaState, type SlaPolicy, type SlaState } from '../../core/sla.js';
import { fromJson, toJson } from '../codec.js';
import type { Db } from '../db.js';
import type { Tables } from '../rows.js';

export const DEFAULT_SCOPE = '*';

interface SlaPolicyRow {
  workspace_id: string;
  scope: string;
  first_response_minutes: number;
  next_response_minutes: number;
  amber_percent: number;
  business_hours: number;
  raise_priority: number;
  notify_user_ids: string;
  reassign_team_id: string | null;
  updated_at: number;
}

interface SlaBreachRow { conversation_id: string; waiting_since: number; workspace_id: string; breached_at: number }
interface SlaBusinessHoursRow { workspace_id: string; timetable: string; updated_at: number }

type SlaDb = Kysely<Tables & { sla_policies: SlaPolicyRow; sla_breaches: SlaBreachRow; sla_business_hours: SlaBusinessHoursRow }>;
const slaDb = (db: Db) => db as unknown as SlaDb;

export interface SlaPolicies { default: SlaPolicy | null; teams: Array<SlaPolicy & { teamId: string }> }

function toPolicy(row: SlaPolicyRow): SlaPolicy {
  return {
    firstResponseMinutes: Number(row.first_response_minutes), nextResponseMinutes: Number(row.next_response_minutes),
    amberPercent: Number(row.amber_percent), businessHoursOnly: Number(row.business_hours) === 1,
    escalation: { raisePriority: Number(row.raise_priority) === 1, notifyUserIds: fromJson<string[]>(row.notify_user_ids), reassignTeamId: row.reassign_team_id },
  };
}

export async function readSlaPolicies(db: Db, workspaceId: string): Promise<SlaPolicies> {
  const rows = await slaDb(db).selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).orderBy('scope').execute();
  const def = rows.find((r) => r.scope === DEFAULT_SCOPE);
  return {
    default: def ? toPolicy(def) : null,
    teams: rows.filter((r) => r.scope !== DEFAULT_SCOPE).map((r) => ({ teamId: r.scope, ...toPolicy(r) })),
  };
}

async function writePolicies(trx: SlaDb, workspaceId: string, policies: SlaPolicies, now: number): Promise<void> {
  const rows: SlaPolicyRow[] = [];
  const add = (scope: string, p: SlaPolicy) => rows.push({
    workspace_id: workspaceId, scope, first_response_minutes: p.firstResponseMinutes, next_response_minutes: p.nextResponseMinutes,
    amber_percent: p.amberPercent, business_hours: p.businessHoursOnly ? 1 : 0, raise_priority: p.escalation.raisePriority ? 1 : 0,
    notify_user_ids: toJson([...new Set(p.escalation.notifyUserIds)]), reassign_team_id: p.escalation.reassignTeamId, updated_at: now,
  });
  if (policies.default) add(DEFAULT_SCOPE, policies.default);
  for (const t of policies.teams) add(t.teamId, t);
  await trx.deleteFrom('sla_policies').where('workspace_id', '=', workspaceId).execute();
  if (rows.length > 0) await trx.insertInto('sla_policies').values(rows).execute();
}

/** The workspace's timetable, or null when it never saved one. */
export async function readBusinessHours(db: Db, workspaceId: string): Promise<BusinessHours | null> {
  const row = await slaDb(db).selectFrom('sla_business_hours').select('timetable').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? fromJson<BusinessHours>(row.timetable) : null;
}

/** Replaces the policies and, when given, the timetable, in one transaction. */
export async function replaceSlaSettings(db: Db, workspaceId: string, policies: SlaPolicies, hours: BusinessHours | null, now: number): Promise<void> {
  await slaDb(db).transaction().execute(async (trx) => {
    await writePolicies(trx, workspaceId, policies, now);
    if (hours === null) return;
    await trx.insertInto('sla_business_hours').values({ workspace_id: workspaceId, timetable: toJson(hours), updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ timetable: toJson(hours), updated_at: now })).execute();
  });
}

/** The policy column for the conversation `c`: its team's policy, else the workspace's, else null. */
const policyColumn = (column: 'first_response_minutes' | 'next_response_minutes' | 'amber_percent' | 'business_hours') => sql<number | null>`(select p.${sql.ref(column)}
  from sla_policies p where p.workspace_id = c.workspace_id and (p.scope = c.team_id or p.scope = ${DEFAULT_SCOPE})
  order by (case when p.scope = ${DEFAULT_SCOPE} then 1 else 0 end) limit 1)`;

/** Whether the business wrote before the current wait began (then the next-response target counts). */
const answeredBefore = sql<boolean>`exists (select 1 from messages om where om.conversation_id = c.id and om.direction = 'out' and om.created_at < c.waiting_since)`;

/**
 * For conversations/views: the target in minutes of the wait that counts (`waitingSince`, the
 * effective one), null when nobody waits or the conversation is snoozed or resolved.
 */
export function slaTargetMinutesSql(waitingSince: RawBuilder<number | null>): RawBuilder<number | null> {
  const d = DEFAULT_SLA_POLICY;
  return sql<number | null>`(case when ${waitingSince} is not null and c.state in ('open', 'pending') then
    (case when ${answeredBefore} then coalesce(${policyColumn('next_response_minutes')}, ${sql.lit(d.nextResponseMinutes)})
      else coalesce(${policyColumn('first_response_minutes')}, ${sql.lit(d.firstResponseMinutes)}) end) end)`;
}

export function slaAmberPercentSql(): RawBuilder<number> {
  return sql<number>`coalesce(${policyColumn('amber_percent')}, ${sql.lit(DEFAULT_SLA_POLICY.amberPercent)})`;
}

/** The timetable JSON when the conversation's policy counts only business hours, else null (24/7). */
export function slaBusinessHoursSql(): RawBuilder<string | null> {
  return sql<string | null>`(case when ${policyColumn('business_hours')} = 1 then
    (select bh.timetable from sla_business_hours bh where bh.workspace_id = c.workspace_id) end)`;
}

/** Parsed timetables by their JSON: a page of rows shares one workspace's, parsed once. */
const parsedHours = new Map<string, BusinessHours>();
function hoursOf(json: string | null): BusinessHours | null {
  if (json === null) return null;
  let hours = parsedHours.get(json);
  if (!hours) {
    if (parsedHours.size >= 100) parsedHours.clear();
    hours = fromJson<BusinessHours>(json);
    parsedHours.set(json, hours);
  }
  return hours;
}

/** A row's SLA state from the columns above (slaTargetMinutesSql, slaAmberPercentSql, slaBusinessHoursSql). */
export function slaStateOfRow(waitingSince: number, targetMinutes: number, amberPercent: number, hoursJson: string | null, now: number): SlaState | null {
  return slaState(waitingSince, targetMinutes * 60_000, amberPercent, now, hoursOf(hoursJson));
}

export interface SlaCandidate {
  id: string; teamId: string | null; assigneeId: string | null; waitingSince: number; targetMinutes: number; amberPercent: number;
  /** The timetable JSON when its policy counts only business hours (slaStateOfRow reads it). */
  businessHours: string | null;
}

/** Where the previous page of unescalatedWaits ended (its last row), for the next page. */
export interface WaitCursor { waitingSince: number; id: string }

/**
 * Conversations whose current wait may be past its target and was not escalated yet (no breach row
 * for this wait): waiting since before now − the shortest target of the workspace, oldest first
 * (by waiting_since, then id), `limit` rows after `after`. Wall time: still valid in business hours
 * (business time never runs ahead of wall time); the caller checks exactly and pages on (`next`),
 * since the oldest rows may be business-hours waits that are not red yet.
 */
export async function unescalatedWaits(
  db: Db, workspaceId: string, waitingBefore: number, limit = 500, after: WaitCursor | null = null,
): Promise<{ candidates: SlaCandidate[]; next: WaitCursor | null }> {
  const waiting = sql<number | null>`(case when c.last_inbound_at is not null and c.last_message_at <= c.last_inbound_at then c.waiting_since end)`;
  let query = slaDb(db).selectFrom('conversations as c')
    .select(['c.id', 'c.team_id', 'c.assignee_id', 'c.waiting_since', slaTargetMinutesSql(waiting).as('target'), slaAmberPercentSql().as('amber'), slaBusinessHoursSql().as('hours')])
    .where('c.workspace_id', '=', workspaceId).where('c.state', 'in', ['open', 'pending'])
    .where('c.waiting_since', 'is not', null).where('c.waiting_since', '<=', waitingBefore)
    .where(sql<boolean>`c.last_inbound_at is not null and c.last_message_at <= c.last_inbound_at`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('sla_breaches as b').select('b.conversation_id')
      .whereRef('b.conversation_id', '=', 'c.id').whereRef('b.waiting_since', '=', 'c.waiting_since'))));
  if (after) {
    const { waitingSince, id } = after;
    query = query.where((eb) => eb.or([eb('c.waiting_since', '>', waitingSince), eb.and([eb('c.waiting_since', '=', waitingSince), eb('c.id', '>', id)])]));
  }
  const rows = await query.orderBy('c.waiting_since').orderBy('c.id').limit(limit).execute();
  const last = rows.at(-1);
  return {
    candidates: rows.filter((r) => r.target !== null).map((r) => ({
      id: r.id, teamId: r.team_id, assigneeId: r.assignee_id, waitingSince: Number(r.waiting_since),
      targetMinutes: Number(r.target), amberPercent: Number(r.amber), businessHours: r.hours,
    })),
    next: rows.length === limit && last ? { waitingSince: Number(last.waiting_since), id: last.id } : null,
  };
}

/** Remembers the breach; false when it was already recorded (another process or an earlier pass). */
export async function recordBreach(db: Db, workspaceId: string, conversationId: string, waitingSince: number, now: number): Promise<boolean> {
  const row = await slaDb(db).insertInto('sla_breaches')
    .values({ conversation_id: conversationId, waiting_since: waitingSince, workspace_id: workspaceId, breached_at: now })
    .onConflict((oc) => oc.columns(['conversation_id', 'waiting_since']).doNothing())
    .returning('conversation_id').executeTakeFirst();
  return row !== undefined;
}

/** Breaches of waits that ended (an operator answered): they can never fire again. */
export async function forgetAnsweredBreaches(db: Db, workspaceId: string): Promise<void> {
  await slaDb(db).deleteFrom('sla_breaches').where('workspace_id', '=', workspaceId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('conversations as c').select('c.id')
      .whereRef('c.id', '=', 'sla_breaches.conversation_id').whereRef('c.waiting_since', '=', 'sla_breaches.waiting_since'))))
    .execute();
}

export async function raisePriorityToUrgent(db: Db, workspaceId: string, conversationId: string, now: number): Promise<boolean> {
  const res = await db.updateTable('conversations').set({ priority: 'urgent', updated_at: now })
    .where('workspace_id', '=', workspaceId).where('id', '=', conversationId).where('priority', '!=', 'urgent').executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Team policies of a deleted team go with it. */
export async function dropTeamSlaPolicy(db: Db, workspaceId: string, teamId: string): Promise<void> {
  await slaDb(db).deleteFrom('sla_policies').where('workspace_id', '=', workspaceId).where('scope', '=', teamId).execute();
}
