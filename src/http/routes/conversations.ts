// Conversations: list with filters and keyset pagination (each item with its contact, last message
// and unread count), one conversation, its messages, moving it between open / pending / resolved,
// and marking it read.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isWindowOpen } from '../../core/window.js';
import { AppError } from '../../errors.js';
import { getConversation, setConversationState } from '../../store/queries/conversations.js';
import { getConversationView, listConversationViews, type ConversationView } from '../../store/queries/conversation-views.js';
import { listConversationMessages } from '../../store/queries/messages.js';
import { markConversationRead } from '../../services/conversations.js';
import type { AppDeps } from '../deps.js';
import { Conversation, IdParams, Message, PageQuery, described, errors, pageOf } from '../schemas.js';

const State = Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('resolved')]);

function present(c: ConversationView, now: number) {
  return { ...c, windowOpen: isWindowOpen(c.lastInboundAt, now) };
}

export function registerConversationRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;
  const view = async (workspaceId: string, id: string) => {
    const conversation = await getConversationView(db, workspaceId, id);
    if (!conversation) throw new AppError('conversation_not_found');
    return present(conversation, deps.now());
  };

  api.get('/conversations', {
    schema: {
      tags: ['conversations'], summary: 'List conversations, most recently active first',
      querystring: Type.Intersect([PageQuery, Type.Object({ inboxId: Type.Optional(Type.String()), state: Type.Optional(State), contactId: Type.Optional(Type.String()) })]),
      response: { 200: described(pageOf(Conversation), 'A page of conversations, each with its contact, last message and unread count'), ...errors(400, 401) },
    },
  }, async (req) => {
    const q = req.query as { limit?: number; cursor?: string; inboxId?: string; state?: 'open' | 'pending' | 'resolved'; contactId?: string };
    const page = await listConversationViews(db, req.workspaceId, q);
    const now = deps.now();
    return { items: page.items.map((c) => present(c, now)), nextCursor: page.nextCursor };
  });

  api.get('/conversations/:id', {
    schema: {
      tags: ['conversations'], params: IdParams,
      response: { 200: described(Conversation, 'The conversation'), ...errors(401, 'conversation_not_found') },
    },
  }, async (req) => view(req.workspaceId, (req.params as { id: string }).id));

  api.patch('/conversations/:id', {
    schema: {
      tags: ['conversations'], summary: 'Change the conversation state', params: IdParams,
      body: Type.Object({ state: State }, { additionalProperties: false }),
      response: { 200: described(Conversation, 'The conversation in its new state'), ...errors(400, 401, 'conversation_not_found') },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const { state } = req.body as { state: 'open' | 'pending' | 'resolved' };
    const updated = await setConversationState(db, req.workspaceId, id, state, deps.now());
    if (!updated) throw new AppError('conversation_not_found');
    return view(req.workspaceId, id);
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
    const { conversation, receiptSent } = await markConversationRead(deps, req.workspaceId, (req.params as { id: string }).id);
    return { conversation: present(conversation, deps.now()), receiptSent };
  });

  api.get('/conversations/:id/messages', {
    schema: {
      tags: ['conversations'], summary: "A conversation's messages, newest first (order=asc for oldest first)", params: IdParams,
      querystring: Type.Intersect([PageQuery, Type.Object({ order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) })]),
      response: { 200: described(pageOf(Message), 'A page of messages'), ...errors(400, 401, 'conversation_not_found') },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const conversation = await getConversation(db, req.workspaceId, id);
    if (!conversation) throw new AppError('conversation_not_found');
    return listConversationMessages(db, req.workspaceId, id, req.query as { limit?: number; cursor?: string; order?: 'asc' | 'desc' });
  });
}
