// Conversations: the inbox list (folders, filters, sorts, keyset pagination; each item with its contact,
// last message, unread count, assignee and team), one conversation, its messages, status and priority,
// assignment, and marking it read. An agent never sees what the visibility rule hides (404).

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isWindowOpen } from '../../core/window.js';
import { listAssignments } from '../../store/queries/conversations.js';
import type { ConversationView } from '../../store/queries/conversation-views.js';
import { listConversationMessages } from '../../store/queries/messages.js';
import { assign, type AssignmentInput } from '../../services/assignment.js';
import { mentionedConversations } from '../../services/notes.js';
import {
  changeConversationStatus, folderCounts, listVisibleConversations, markConversationRead, visibleConversation, visibleConversationRecord, type ListQuery, type StatusPatch,
} from '../../services/conversations.js';
import type { AppDeps } from '../deps.js';
import { IdParams, Message, PageQuery, described, errors, pageOf } from '../schemas.js';
import { ConversationItem as Conversation, ConversationStateSchema as State, PrioritySchema } from './conversation-schema.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const ListFilters = Type.Object({
  folder: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('unassigned'), Type.Literal('teams'), Type.Literal('all')], {
    description: 'mine: assigned to me; unassigned: no assignee; teams: one of my teams; all (default): everything I may see',
  })),
  inboxId: Type.Optional(Type.String()), state: Type.Optional(State), contactId: Type.Optional(Type.String()),
  assigneeId: Type.Optional(Type.String()), teamId: Type.Optional(Type.String()), priority: Type.Optional(PrioritySchema),
  window: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')], { description: "The customer service window (24 h since the customer's last message)" })),
  sort: Type.Optional(Type.Union([Type.Literal('last_activity'), Type.Literal('waiting'), Type.Literal('priority')], {
    description: 'last_activity (default): most recent first; waiting: oldest unanswered customer message first; priority: urgent first, then most recent',
  })),
});

const StatusBody = Type.Object({
  state: Type.Optional(State),
  snoozedUntil: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Epoch milliseconds in the future; implies state snoozed' }))),
  untilReply: Type.Optional(Type.Boolean({ description: "Snooze until the customer's next message" })),
  priority: Type.Optional(PrioritySchema),
}, { additionalProperties: false, minProperties: 1 });

const AssignmentBody = Type.Object({
  assigneeId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'A user id; null unassigns' }))),
  teamId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'A team id; null removes the team' }))),
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'Why, for the one who takes it over (kept in the history)' })),
}, { additionalProperties: false, minProperties: 1 });

const Assignment = Type.Object({
  id: Type.String(), assigneeId: Nullable(Type.String()), teamId: Nullable(Type.String()),
  byUserId: Nullable(Type.String({ description: 'null when done with an API key' })), note: Nullable(Type.String()), createdAt: Type.Integer(),
});

function present(c: ConversationView, now: number) {
  return { ...c, windowOpen: isWindowOpen(c.lastInboundAt, now) };
}

export function registerConversationRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  api.get('/conversations', {
    schema: {
      tags: ['conversations'], summary: 'List the conversations you may see, most recently active first (or as sorted)',
      querystring: Type.Intersect([PageQuery, ListFilters]),
      response: { 200: described(pageOf(Conversation), 'A page of conversations, each with its contact, last message, unread count, assignee and team'), ...errors(400, 401) },
    },
  }, async (req) => {
    const page = await listVisibleConversations(deps, req.workspaceId, req.user, req.query as ListQuery);
    const now = deps.now();
    return { items: page.items.map((c) => present(c, now)), nextCursor: page.nextCursor };
  });

  const Count = Type.Object({ total: Type.Integer(), unread: Type.Integer({ description: 'Of them, with unread customer messages' }) });
  api.get('/conversations/counts', {
    schema: {
      tags: ['conversations'], summary: 'Per folder: how many conversations you may see and how many have unread messages (each counted up to 1000)',
      querystring: Type.Object({ state: Type.Optional(State), inboxId: Type.Optional(Type.String()) }),
      response: {
        200: described(Type.Object({
          mine: Count, unassigned: Count, teams: Count, all: Count,
          mentions: Type.Optional(Type.Object({ total: Type.Integer(), unread: Type.Integer() }, { description: 'Conversations where you were @mentioned in a note and have not opened them since (both figures the same; absent for an API key)' })),
        }), 'Counts per folder'),
        ...errors(400, 401),
      },
    },
  }, async (req) => {
    const counts = await folderCounts(deps, req.workspaceId, req.user, req.query as { state?: StatusPatch['state']; inboxId?: string });
    if (req.user === null) return counts;
    const mentioned = (await mentionedConversations(deps, req.workspaceId, req.user)).length;
    return { ...counts, mentions: { total: mentioned, unread: mentioned } };
  });

  api.get('/conversations/:id', {
    schema: {
      tags: ['conversations'], params: IdParams,
      response: { 200: described(Conversation, 'The conversation'), ...errors(401, 'conversation_not_found') },
    },
  }, async (req) => present(await visibleConversation(deps, req.workspaceId, req.user, idOf(req)), deps.now()));

  api.patch('/conversations/:id', {
    schema: {
      tags: ['conversations'], summary: 'Change the state (open, pending, snoozed, resolved) or the priority', params: IdParams,
      description: 'Resolving asks the customer for a 1–5 rating when CSAT is on (PUT /api/v1/csat/settings; the survey: GET /api/v1/conversations/{id}/csat). A survey that cannot be sent is recorded on the survey, never an error here.',
      body: StatusBody,
      response: { 200: described(Conversation, 'The conversation in its new state'), ...errors(400, 401, 403, 'conversation_not_found', 'snooze_time_required') },
    },
  }, async (req) => present(await changeConversationStatus(deps, req.workspaceId, req.user, idOf(req), req.body as StatusPatch), deps.now()));

  api.post('/conversations/:id/assignment', {
    schema: {
      tags: ['conversations'], params: IdParams, body: AssignmentBody,
      summary: 'Assign to a person and/or a team (transfer with a note). Agents may take an unassigned or own-team chat for themselves; supervisors and up assign anything',
      response: {
        200: described(Conversation, 'The conversation with its new assignee and team'),
        ...errors(400, 401, 'assignment_forbidden', 'conversation_not_found', 'team_not_found', 'assignee_invalid'),
      },
    },
  }, async (req) => present(await assign(deps, req.workspaceId, req.user, idOf(req), req.body as AssignmentInput), deps.now()));

  api.get('/conversations/:id/assignments', {
    schema: {
      tags: ['conversations'], params: IdParams, summary: 'The assignment history with transfer notes, oldest first (last 100)',
      response: { 200: described(Type.Object({ items: Type.Array(Assignment) }), 'Assignments'), ...errors(401, 'conversation_not_found') },
    },
  }, async (req) => {
    await visibleConversationRecord(deps, req.workspaceId, req.user, idOf(req));
    return { items: await listAssignments(db, req.workspaceId, idOf(req)) };
  });

  api.post('/conversations/:id/read', {
    schema: {
      tags: ['conversations'], params: IdParams,
      summary: "Mark read: sends Meta's read receipt for the newest customer message (blue ticks on it and every earlier one) and sets lastReadAt; unreadCount becomes 0",
      response: {
        200: described(Type.Object({
          conversation: Conversation,
          receiptSent: Type.Boolean({ description: 'false when there was nothing new to mark, or the message is older than the 30 days Meta accepts' }),
        }), 'The conversation, now read'),
        ...errors(400, 401, 'conversation_not_found', 'conflict', 502, 503),
      },
    },
  }, async (req) => {
    const { conversation, receiptSent } = await markConversationRead(deps, req.workspaceId, idOf(req), req.user);
    return { conversation: present(conversation, deps.now()), receiptSent };
  });

  api.get('/conversations/:id/messages', {
    schema: {
      tags: ['conversations'], summary: "A conversation's messages, newest first (order=asc for oldest first)", params: IdParams,
      querystring: Type.Intersect([PageQuery, Type.Object({ order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) })]),
      response: { 200: described(pageOf(Message), 'A page of messages'), ...errors(400, 401, 'conversation_not_found') },
    },
  }, async (req) => {
    const id = idOf(req);
    await visibleConversationRecord(deps, req.workspaceId, req.user, id);
    return listConversationMessages(db, req.workspaceId, id, req.query as { limit?: number; cursor?: string; order?: 'asc' | 'desc' });
  });
}
