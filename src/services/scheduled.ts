// Send later: an operator (or an API caller) writes a message now for a chosen time; the timers worker
// sends it then through the same path as any message (sendMessage: reply guard, policy, window,
// consent, limits as they are at that moment). What became of it stays on the row: the message sent
// (or stored as refused by the policy, with its reason), or the error that stopped it, and the
// conversation's tabs are told. Sending is one transaction with the claim, so a crash leaves the row
// either still scheduled or sent with its message — never sent twice, never lost.

import { checkOutboundContent, type OutboundContent } from '../core/message-content.js';
import { SCHEDULED_PER_CONVERSATION, scheduleProblem } from '../core/scheduled.js';
import { AppError, isAppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { withTransaction } from '../store/db.js';
import { getConversation } from '../store/queries/conversations.js';
import { getInbox } from '../store/queries/inboxes.js';
import {
  countPending, dueScheduled, getScheduled, insertScheduled, listScheduled, moveScheduled, type ScheduledRecord,
} from '../store/queries/scheduled.js';
import { findUserById } from '../store/queries/users.js';
import { assertMayReply } from './assignment.js';
import { visibleConversationRecord } from './conversations.js';
import { holdingBus } from './held-bus.js';
import { publishConversation } from './live.js';
import { findOrSyncTemplate, sendMessage } from './outbound.js';
import type { ViewingUser } from './visibility.js';

export interface ScheduleInput { content: OutboundContent; sendAt: number; replyToMessageId?: string }

export async function scheduleMessage(
  deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string, input: ScheduleInput,
): Promise<ScheduledRecord> {
  const { db } = deps.database;
  const conversation = await visibleConversationRecord(deps, workspaceId, user, conversationId);
  await assertMayReply(deps, workspaceId, user, conversation);
  const issues = checkOutboundContent(input.content);
  if (issues.length > 0) throw new AppError('validation_failed', issues.map((i) => i.message).join('; '), { issues });
  const now = deps.now();
  const problem = scheduleProblem({ contentType: input.content.type, sendAt: input.sendAt, lastInboundAt: conversation.lastInboundAt }, now);
  if (problem?.kind === 'time_invalid') {
    throw new AppError('scheduled_time_invalid', undefined, { field: 'sendAt', earliest: problem.earliest, latest: problem.latest });
  }
  if (problem?.kind === 'after_window') {
    const closes = problem.windowClosesAt;
    throw new AppError('scheduled_after_window', closes === null
      ? 'The customer has not written in this conversation, so only a template may be sent: schedule a template.'
      : `The customer service window closes at ${new Date(closes).toISOString()}, before sendAt: pick an earlier time or schedule a template.`,
    { field: 'sendAt', windowClosesAt: closes });
  }
  if (await countPending(db, workspaceId, conversationId) >= SCHEDULED_PER_CONVERSATION) throw new AppError('scheduled_limit_reached');
  const author = user ? await findUserById(db, workspaceId, user.id) : undefined;
  const record = await insertScheduled(db, workspaceId, {
    conversationId, content: input.content, replyToMessageId: input.replyToMessageId ?? null,
    createdByUserId: user?.id ?? null, createdByName: author?.name ?? null, sendAt: input.sendAt,
  }, now);
  await publishConversation(deps, conversation);
  return record;
}

/** What is waiting and what failed (up to 100, by send time), for the conversation's tabs. */
export async function listConversationScheduled(deps: AppDeps, workspaceId: string, user: ViewingUser | null, conversationId: string): Promise<ScheduledRecord[]> {
  await visibleConversationRecord(deps, workspaceId, user, conversationId);
  return listScheduled(deps.database.db, workspaceId, conversationId, ['scheduled', 'failed']);
}

/** Cancels a waiting message, or dismisses a failed one; who may reply in the conversation may do it. */
export async function cancelScheduled(deps: AppDeps, workspaceId: string, user: ViewingUser | null, id: string): Promise<ScheduledRecord> {
  const { db } = deps.database;
  const record = await getScheduled(db, workspaceId, id);
  if (!record) throw new AppError('scheduled_not_found');
  const conversation = await visibleConversationRecord(deps, workspaceId, user, record.conversationId).catch((err: unknown) => {
    throw isAppError(err) && err.code === 'conversation_not_found' ? new AppError('scheduled_not_found') : err;
  });
  await assertMayReply(deps, workspaceId, user, conversation);
  if (!(await moveScheduled(db, workspaceId, id, ['scheduled', 'failed'], 'cancelled', {}, deps.now()))) throw new AppError('scheduled_not_pending');
  await publishConversation(deps, conversation);
  return (await getScheduled(db, workspaceId, id))!;
}

/** Sends what is due, `batch` at a time; returns how many were handled (sent, refused or failed). */
export async function sendDueScheduled(deps: AppDeps, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    let handled = 0;
    for (const due of await dueScheduled(deps.database.db, deps.now(), batch)) {
      try {
        if (await sendOne(deps, due)) handled += 1;
      } catch (err) {
        // Not the message's fault (the database, the bus): it stays scheduled and the next step tries again.
        deps.logger.warn({ err, scheduledId: due.id }, 'scheduled message not sent; will try again');
      }
    }
    total += handled;
    if (handled < batch) return total;
  }
}

async function sendOne(deps: AppDeps, due: ScheduledRecord): Promise<boolean> {
  const ws = due.workspaceId;
  const now = deps.now();
  const author = due.createdByUserId === null ? undefined : await findUserById(deps.database.db, ws, due.createdByUserId);
  // A disabled author's promise to the customer still goes out, as the workspace's (no reply guard).
  const user: ViewingUser | null = author && author.disabledAt === null ? { id: author.id, workspaceId: ws, role: author.role } : null;
  if (due.content.type === 'template') await warmTemplate(deps, due, due.content);
  const held = holdingBus(deps.bus);
  let outcome: 'sent' | 'refused' | 'gone';
  try {
    outcome = await withTransaction(deps.database.db, async (trx) => {
      if (!(await moveScheduled(trx, ws, due.id, ['scheduled'], 'sent', {}, now))) return 'gone';
      const conversation = await getConversation(trx, ws, due.conversationId);
      if (!conversation) throw new AppError('conversation_not_found');
      const { message, decision } = await sendMessage(
        { ...deps, bus: held.bus, database: { ...deps.database, db: trx } }, ws,
        { inboxId: conversation.inboxId, contactId: conversation.contactId, content: due.content, ...(due.replyToMessageId ? { replyToMessageId: due.replyToMessageId } : {}) },
        { user },
      );
      if (decision.allow) {
        await moveScheduled(trx, ws, due.id, ['sent'], 'sent', { messageId: message.id }, now);
        return 'sent';
      }
      // Refused by the policy at send time: the message is stored as refused (with its reason), and the row says why.
      await moveScheduled(trx, ws, due.id, ['sent'], 'failed', { messageId: message.id, error: { code: decision.reason, message: decision.message } }, now);
      return 'refused';
    });
  } catch (err) {
    if (!isAppError(err)) throw err;
    // A caller-level refusal (the chat was reassigned, the quoted message is gone…): recorded, not retried.
    if (!(await moveScheduled(deps.database.db, ws, due.id, ['scheduled'], 'failed', { error: { code: err.code, message: err.message } }, now))) return false;
    outcome = 'refused';
  }
  if (outcome === 'gone') return false;
  await held.flush();
  const conversation = await getConversation(deps.database.db, ws, due.conversationId);
  if (conversation) await publishConversation(deps, conversation);
  deps.logger.info({ scheduledId: due.id, workspaceId: ws, outcome }, 'scheduled message handled');
  return true;
}

/**
 * A template not stored yet is fetched from Meta now, not inside the send's transaction (on SQLite that
 * would hold the process's one connection while Meta answers); the fetch's 30-s throttle
 * (findOrSyncTemplate) keeps the send itself from fetching again.
 */
async function warmTemplate(deps: AppDeps, due: ScheduledRecord, content: { name: string; language: string }): Promise<void> {
  const { db } = deps.database;
  const conversation = await getConversation(db, due.workspaceId, due.conversationId);
  const inbox = conversation && (await getInbox(db, due.workspaceId, conversation.inboxId));
  if (inbox) await findOrSyncTemplate(deps, inbox, content.name, content.language);
}
