// CSAT (issue 14 §6): the settings, asking the customer for a 1–5 rating when an operator resolves
// a conversation (a list inside the 24-hour window, the chosen template outside it, through the same
// outbound service as any message), storing the answer from the inbound path, and the report.
//
// Outside the window the template's quick-reply buttons carry the rating: each button whose text
// starts with a digit 1–5 is sent with the payload `csat:<surveyId>:<digit>`, which the customer's
// tap returns (Meta echoes a quick-reply payload in the `button` message). A typed "4" is not read.

import {
  DEFAULT_CSAT_SETTINGS, csatListContent, csatSettingsProblem, csatTemplateContent, csatTemplateProblem, decideAsk,
  ratingButtons, summarizeCsat, type CsatRating, type CsatSettings, type CsatSummary, type CsatTemplateFacts,
} from '../core/csat.js';
import type { OutboundContent } from '../core/message-content.js';
import { isWindowOpen } from '../core/window.js';
import { AppError, isAppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import type { ConversationRecord } from '../store/queries/conversations.js';
import { setConversationState } from '../store/queries/conversations.js';
import {
  insertSurvey, lastAskedAt, listSurveys, newSurveyId, readCsatSettingsRow, recordRating, settleAfterRating, surveyCounts,
  surveyExists, templatesNamed, writeCsatSettings, type SurveyRecord, type SurveyView,
} from '../store/queries/csat.js';
import { withTransaction } from '../store/db.js';
import { getInbox } from '../store/queries/inboxes.js';
import type { MessageRecord } from '../store/queries/messages.js';
import { findTemplate } from '../store/queries/templates.js';
import { holdingBus } from './held-bus.js';
import { publishConversation } from './live.js';
import { sendMessage } from './outbound.js';

export async function readCsatSettings(deps: AppDeps, workspaceId: string): Promise<CsatSettings> {
  return (await readCsatSettingsRow(deps.database.db, workspaceId)) ?? DEFAULT_CSAT_SETTINGS;
}

/** Checks and stores the settings: the question's length, and that the template can carry ratings. */
export async function saveCsatSettings(deps: AppDeps, workspaceId: string, input: CsatSettings): Promise<CsatSettings> {
  const problem = csatSettingsProblem(input);
  if (problem) throw new AppError('csat_settings_invalid', `CSAT settings: ${problem.message}.`, { field: problem.field });
  if (input.template) {
    const { name, language } = input.template;
    const found = await templatesNamed(deps.database.db, workspaceId, name, language);
    if (found.length === 0) {
      throw new AppError('csat_template_invalid', `No template ${name} (${language}) in this workspace: pick one from GET /api/v1/templates?status=APPROVED.`, { field: 'template' });
    }
    const why = csatTemplateProblem(found.find((t) => t.status.toUpperCase() === 'APPROVED') ?? found[0]!);
    if (why) throw new AppError('csat_template_invalid', `Template ${name} (${language}) cannot ask for a rating: ${why}.`, { field: 'template' });
  }
  await writeCsatSettings(deps.database.db, workspaceId, input, deps.now());
  return readCsatSettings(deps, workspaceId);
}

/**
 * On a resolve: asks for a rating when CSAT is on and `byOperator` (an auto-resolve passes false
 * unless it chooses to ask). Never throws: a refusal or failure is written on the survey row and
 * logged, and the resolve goes on. Returns the survey, or null when nothing was to be asked.
 */
export async function askForRating(deps: AppDeps, workspaceId: string, conversation: ConversationRecord, opts: { byOperator: boolean }): Promise<SurveyRecord | null> {
  try {
    return await ask(deps, workspaceId, conversation, opts.byOperator);
  } catch (err) {
    deps.logger.warn({ err, conversationId: conversation.id }, 'CSAT survey not asked');
    return null;
  }
}

async function ask(deps: AppDeps, workspaceId: string, c: ConversationRecord, byOperator: boolean): Promise<SurveyRecord | null> {
  const { db } = deps.database;
  const now = deps.now();
  const settings = await readCsatSettings(deps, workspaceId);
  if (!settings.enabled || !byOperator) return null;
  const decision = decideAsk({ settings, byOperator, windowOpen: isWindowOpen(c.lastInboundAt, now), lastAskedAt: await lastAskedAt(db, workspaceId, c.id), now });
  if (!decision.ask) return null;
  const base = { id: newSurveyId(now), conversationId: c.id, contactId: c.contactId, now };
  const skip = (reason: string, channel: SurveyChannel) => insertSurvey(db, workspaceId, { ...base, status: 'skipped', reason, channel, messageId: null });
  if (decision.channel === null) return skip(decision.skip, null);
  const content = await questionContent(deps, workspaceId, c, base.id, settings, decision.channel);
  if (!content) return skip('template_not_found', decision.channel);
  try {
    return await queueQuestion(deps, workspaceId, c, { ...base, channel: decision.channel }, content);
  } catch (err) {
    // A refusal of the send itself (not the policy): nothing was stored, so the row says why in one write.
    if (!isAppError(err)) throw err;
    return skip(err.code, decision.channel);
  }
}

type SurveyChannel = 'interactive' | 'template' | null;

/** The list, or the template with its rating payloads; undefined when the template is not stored for this number. */
async function questionContent(deps: AppDeps, workspaceId: string, c: ConversationRecord, surveyId: string, s: CsatSettings, channel: 'interactive' | 'template'): Promise<OutboundContent | undefined> {
  if (channel === 'interactive') return csatListContent(surveyId, s);
  const choice = s.template!;
  const inbox = await getInbox(deps.database.db, workspaceId, c.inboxId);
  const template = inbox && await findTemplate(deps.database.db, workspaceId, { wabaId: inbox.wabaId, name: choice.name, language: choice.language });
  if (!template) return undefined;
  return csatTemplateContent(surveyId, choice, ratingButtons({ components: template.components as CsatTemplateFacts['components'] }));
}

/**
 * Stores the question (queued in the outbox, or refused by the policy with its reason) and the
 * survey row in one transaction, as the system (no operator: the reply guard does not apply; the
 * policy does): a crash leaves both or neither. Nothing goes to Meta here — the sender worker sends
 * the outbox row after the commit — and the template was read before, so no fetch runs inside.
 */
async function queueQuestion(
  deps: AppDeps, workspaceId: string, c: ConversationRecord,
  survey: { id: string; conversationId: string; contactId: string; channel: 'interactive' | 'template'; now: number }, content: OutboundContent,
): Promise<SurveyRecord> {
  const held = holdingBus(deps.bus);
  // The sender is woken after the commit: before it, the outbox row is not there to claim.
  const { nudge, ...rest } = deps;
  const [record, allowed] = await withTransaction(deps.database.db, async (trx) => {
    const { message, decision } = await sendMessage(
      { ...rest, bus: held.bus, database: { ...deps.database, db: trx } }, workspaceId, { inboxId: c.inboxId, contactId: c.contactId, content },
    );
    const outcome = decision.allow ? { status: 'asked' as const, reason: null } : { status: 'skipped' as const, reason: decision.reason };
    return [await insertSurvey(trx, workspaceId, { ...survey, ...outcome, messageId: message.id }), decision.allow] as const;
  });
  if (allowed) nudge?.sender();
  await held.flush();
  return record;
}

/**
 * The customer tapped a rating (list row, reply button or template quick reply `csat:<id>:<n>`):
 * stored on the survey, the conversation's state left alone (it is not reopened: the customer only
 * answered the survey) and its live event published. A `csat:` id that names no survey of this
 * conversation is an ordinary message, so it reopens the conversation as any other would.
 */
export async function applyCsatAnswer(
  deps: AppDeps, workspaceId: string, conversation: ConversationRecord, message: MessageRecord,
  answer: { surveyId: string; rating: CsatRating }, inboundAt: number,
): Promise<void> {
  const { db } = deps.database;
  const now = deps.now();
  const stored = await recordRating(db, workspaceId, { ...answer, conversationId: conversation.id, answeredAt: inboundAt, messageId: message.id });
  if (!stored && !(await surveyExists(db, workspaceId, answer.surveyId, conversation.id))) {
    if (conversation.state !== 'open' && inboundAt >= (conversation.lastInboundAt ?? 0)) {
      const reopened = await setConversationState(db, workspaceId, conversation.id, 'open', now);
      if (reopened) await publishConversation(deps, reopened);
    }
    return;
  }
  const after = await settleAfterRating(db, workspaceId, conversation.id, inboundAt, now);
  if (after) await publishConversation(deps, after);
}

export async function conversationSurveys(deps: AppDeps, workspaceId: string, conversationId: string): Promise<SurveyView[]> {
  return listSurveys(deps.database.db, workspaceId, conversationId);
}

export async function csatReport(deps: AppDeps, workspaceId: string, range: { from?: number; to?: number }): Promise<CsatSummary & { from: number; to: number }> {
  const to = range.to ?? deps.now();
  const from = range.from ?? to - 30 * 24 * 3600_000;
  if (from >= to) throw new AppError('csat_range_invalid', `from (${from}) must be before to (${to}).`, { field: 'from' });
  return { from, to, ...summarizeCsat(await surveyCounts(deps.database.db, workspaceId, from, to)) };
}
