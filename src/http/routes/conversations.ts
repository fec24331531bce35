// Conversations: list with filters and keyset pagination, one conversation, its messages, and
// moving it between open / pending / resolved.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isWindowOpen } from '../../core/window.js';
import { AppError } from '../../errors.js';
import {
  getConversation, listConversations, setConversationState, type ConversationRecord,
} from '../../store/queries/conversations.js';
import { listConversationMessages } from '../../store/queries/messages.js';
import type { AppDeps } from '../deps.js';
import { Conversation, IdParams, Message, PageQuery, errors, pageOf } from '../schemas.js';

const State = Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('resolved')]);

function present(c: ConversationRecord, now: number) {
  return { ...c, windowOpen: isWindowOpen(c.lastInboundAt, now) };
}

export function registerConversationRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/conversations', {
    schema: {
      tags: ['conversations'], summary: 'List conversations, most recently active first',
      querystring: Type.Intersect([PageQuery, Type.Object({ inboxId: Type.Optional(Type.String()), state: Type.Optional(State), contactId: Type.Optional(Type.String()) })]),
      response: { 200: pageOf(Conversation), ...errors(400, 401) },
    },
  }, async (req) => {
    const q = req.query as { limit?: number; cursor?: string; inboxId?: string; state?: 'open' | 'pending' | 'resolved'; contactId?: string };
    const page = await listConversations(db, req.workspaceId, q);
    const now = deps.now();
    return { items: page.items.map((c) => present(c, now)), nextCursor: page.nextCursor };
  });

  api.get('/conversations/:id', {
    schema: { tags: ['conversations'], params: IdParams, response: { 200: Conversation, ...errors(401, 404) } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const conversation = await getConversation(db, req.workspaceId, id);
    if (!conversation) throw new AppError('conversation_not_found');
    return present(conversation, deps.now());
  });

  api.patch('/conversations/:id', {
    schema: {
      tags: ['conversations'], summary: 'Change the conversation state', params: IdParams,
      body: Type.Object({ state: State }, { additionalProperties: false }),
      response: { 200: Conversation, ...errors(400, 401, 404) },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const { state } = req.body as { state: 'open' | 'pending' | 'resolved' };
    const updated = await setConversationState(db, req.workspaceId, id, state, deps.now());
    if (!updated) throw new AppError('conversation_not_found');
    return present(updated, deps.now());
  });

  api.get('/conversations/:id/messages', {
    schema: {
      tags: ['conversations'], summary: "A conversation's messages, newest first (order=asc for oldest first)", params: IdParams,
      querystring: Type.Intersect([PageQuery, Type.Object({ order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) })]),
      response: { 200: pageOf(Message), ...errors(400, 401, 404) },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const conversation = await getConversation(db, req.workspaceId, id);
    if (!conversation) throw new AppError('conversation_not_found');
    return listConversationMessages(db, req.workspaceId, id, req.query as { limit?: number; cursor?: string; order?: 'asc' | 'desc' });
  });
}
