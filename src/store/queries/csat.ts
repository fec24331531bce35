// CSAT: the workspace's survey settings, the survey rows (one per resolve that asked), the answer
// stored from the inbound path, and the counts behind GET /api/v1/csat.

import type { CsatLanguage, CsatRating, CsatSettings, CsatTemplateFacts } from '../../core/csat.js';
import { fromFlag, toFlag } from '../codec.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { CsatSurveyRow } from '../rows.js';
import { toConversationRecord, type ConversationRecord } from './conversations.js';

export async function readCsatSettingsRow(db: Db, workspaceId: string): Promise<CsatSettings | undefined> {
  const row = await db.selectFrom('csat_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) return undefined;
  return {
    enabled: fromFlag(Number(row.enabled)), language: row.language as CsatLanguage, question: row.question,
    template: row.template_name !== null && row.template_language !== null ? { name: row.template_name, language: row.template_language } : null,
  };
}

export async function writeCsatSettings(db: Db, workspaceId: string, s: CsatSettings, now: number): Promise<void> {
  const values = {
    enabled: toFlag(s.enabled), language: s.language, question: s.question,
    template_name: s.template?.name ?? null, template_language: s.template?.language ?? null, updated_at: now,
  };
  await db.insertInto('csat_settings').values({ workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values)).execute();
}

/** Templates of the workspace (any WABA) with this name and language: the settings check them. */
export async function templatesNamed(db: Db, workspaceId: string, name: string, language: string): Promise<CsatTemplateFacts[]> {
  const rows = await db.selectFrom('templates').select(['status', 'components']).where('workspace_id', '=', workspaceId)
    .where('name', '=', name).where('language', '=', language).execute();
  return rows.map((r) => ({ status: r.status, components: JSON.parse(r.components) as CsatTemplateFacts['components'] }));
}

export interface SurveyRecord {
  id: string; conversationId: string; contactId: string;
  status: CsatSurveyRow['status']; reason: string | null; channel: CsatSurveyRow['channel'];
  messageId: string | null; askedAt: number; rating: CsatRating | null; answeredAt: number | null; answerMessageId: string | null;
}

function toSurvey(r: CsatSurveyRow): SurveyRecord {
  return {
    id: r.id, conversationId: r.conversation_id, contactId: r.contact_id, status: r.status, reason: r.reason, channel: r.channel,
    messageId: r.message_id, askedAt: Number(r.asked_at), rating: r.rating === null ? null : (Number(r.rating) as CsatRating),
    answeredAt: r.answered_at === null ? null : Number(r.answered_at), answerMessageId: r.answer_message_id,
  };
}

/** When the conversation was last actually asked (a survey sent, answered or not); null if never. */
export async function lastAskedAt(db: Db, workspaceId: string, conversationId: string): Promise<number | null> {
  const row = await db.selectFrom('csat_surveys').select('asked_at').where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId).where('status', 'in', ['asked', 'answered'])
    .orderBy('asked_at', 'desc').limit(1).executeTakeFirst();
  return row ? Number(row.asked_at) : null;
}

/** A survey's id, made before its question (the list rows and template payloads carry it). */
export function newSurveyId(now: number): string {
  // Ids as every other row's (time-sorted, random tail); the prefix says what it is in a list reply id.
  return newId('note', now).replace(/^note_/, 'csat_');
}

/** A survey row with its outcome: the question's message (queued or refused) or why nothing was stored. */
export async function insertSurvey(
  db: Db, workspaceId: string,
  s: { id: string; conversationId: string; contactId: string; status: 'asked' | 'skipped'; reason: string | null; channel: CsatSurveyRow['channel']; messageId: string | null; now: number },
): Promise<SurveyRecord> {
  const row: CsatSurveyRow = {
    id: s.id, workspace_id: workspaceId, conversation_id: s.conversationId, contact_id: s.contactId, status: s.status, reason: s.reason,
    channel: s.channel, message_id: s.messageId, asked_at: s.now, rating: null, answered_at: null, answer_message_id: null,
  };
  await db.insertInto('csat_surveys').values(row).execute();
  return toSurvey(row);
}

/**
 * Stores a rating on the conversation's survey; the customer's latest tap wins (by its time), so a
 * redelivered older answer cannot undo a newer one. Undefined when no such survey of this conversation.
 */
export async function recordRating(
  db: Db, workspaceId: string, a: { surveyId: string; conversationId: string; rating: CsatRating; answeredAt: number; messageId: string },
): Promise<SurveyRecord | undefined> {
  const row = await db.updateTable('csat_surveys')
    .set({ status: 'answered', rating: a.rating, answered_at: a.answeredAt, answer_message_id: a.messageId })
    .where('workspace_id', '=', workspaceId).where('id', '=', a.surveyId).where('conversation_id', '=', a.conversationId)
    .where('status', 'in', ['asked', 'answered'])
    .where((eb) => eb.or([eb('answered_at', 'is', null), eb('answered_at', '<=', a.answeredAt)]))
    .returningAll().executeTakeFirst();
  return row && toSurvey(row);
}

/** Whether a survey with this id exists for the conversation (a stale tap that lost to a newer one). */
export async function surveyExists(db: Db, workspaceId: string, surveyId: string, conversationId: string): Promise<boolean> {
  const row = await db.selectFrom('csat_surveys').select('id').where('workspace_id', '=', workspaceId)
    .where('id', '=', surveyId).where('conversation_id', '=', conversationId).executeTakeFirst();
  return row !== undefined;
}

/**
 * After a rating in a conversation that is not open: the rating is not a wait for an answer (SLA),
 * so the wait it started is cleared; updated_at moves so a live resync picks the change up.
 */
export async function settleAfterRating(db: Db, workspaceId: string, conversationId: string, inboundAt: number, now: number): Promise<ConversationRecord | undefined> {
  const row = await db.updateTable('conversations')
    .set((eb) => ({
      updated_at: now,
      waiting_since: eb.case().when(eb.and([eb('state', '!=', 'open'), eb('waiting_since', '=', inboundAt)])).then(null).else(eb.ref('waiting_since')).end(),
    }))
    .where('workspace_id', '=', workspaceId).where('id', '=', conversationId)
    .returningAll().executeTakeFirst();
  return row && toConversationRecord(row);
}

export type SurveyView = SurveyRecord & { messageStatus: string | null };

/** A conversation's surveys, newest first, with the status of the question's message. */
export async function listSurveys(db: Db, workspaceId: string, conversationId: string, limit = 50): Promise<SurveyView[]> {
  const rows = await db.selectFrom('csat_surveys as s').leftJoin('messages as m', 'm.id', 's.message_id')
    .selectAll('s').select('m.status as message_status')
    .where('s.workspace_id', '=', workspaceId).where('s.conversation_id', '=', conversationId)
    .orderBy('s.asked_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...toSurvey(r as CsatSurveyRow), messageStatus: r.message_status ?? null }));
}

/** Surveys asked in [from, to): per status, skipped ones per reason, and answered ones per rating. */
export async function surveyCounts(db: Db, workspaceId: string, from: number, to: number) {
  const rows = await db.selectFrom('csat_surveys').select(['status', 'rating', 'reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId).where('asked_at', '>=', from).where('asked_at', '<', to)
    .groupBy(['status', 'rating', 'reason']).execute();
  const counts = { asked: 0, skipped: {} as Record<string, number>, ratings: {} as Partial<Record<CsatRating, number>> };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.status === 'asked') counts.asked += n;
    else if (r.status === 'skipped') counts.skipped[r.reason ?? 'unknown'] = (counts.skipped[r.reason ?? 'unknown'] ?? 0) + n;
    else if (r.rating !== null) counts.ratings[Number(r.rating) as CsatRating] = (counts.ratings[Number(r.rating) as CsatRating] ?? 0) + n;
  }
  return counts;
}
