// Private notes on a conversation (never sent to the customer) with @mentions, the Mentions folder
// (conversations where you were mentioned and have not looked since) and marking mentions seen.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { isWindowOpen } from '../../core/window.js';
import { addNote, listConversationNotes, markConversationMentionsSeen, mentionedConversations } from '../../services/notes.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';
import { ConversationItem } from './conversation-schema.js';

const Note = Type.Object({
  id: Type.String(), conversationId: Type.String(),
  authorId: Type.Union([Type.String(), Type.Null()], { description: 'null when written with an API key' }),
  authorName: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  mentions: Type.Array(Type.Object({
    userId: Type.String(), name: Type.String(),
    start: Type.Integer({ description: 'Where "@Name" starts in body (UTF-16 offset)' }), end: Type.Integer({ description: 'Where it ends (exclusive)' }),
  }), { description: 'The workspace users mentioned as "@Name", in order' }),
  createdAt: Type.Integer({ description: 'Epoch milliseconds' }),
}, { $id: 'Note' });

export function registerNoteRoutes(api: FastifyInstance, deps: AppDeps): void {
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  api.get('/conversations/:id/notes', {
    schema: {
      tags: ['notes'], summary: "A conversation's private notes, oldest first (the last 200); the customer never sees them", params: IdParams,
      response: { 200: described(Type.Object({ items: Type.Array(Note) }), 'Notes'), ...errors(401, 'conversation_not_found') },
    },
  }, async (req) => ({ items: await listConversationNotes(deps, req.workspaceId, req.user, idOf(req)) }));

  api.post('/conversations/:id/notes', {
    schema: {
      tags: ['notes'], params: IdParams,
      summary: 'Add a private note for the team (not sent to the customer); "@Name" of a workspace user mentions them (their Mentions folder)',
      body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
      response: { 201: described(Note, 'The new note'), ...errors(400, 401, 'conversation_not_found', 'note_body_empty') },
    },
  }, async (req, reply) => reply.code(201).send(await addNote(deps, req.workspaceId, req.user, idOf(req), (req.body as { body: string }).body)));

  api.get('/conversations/mentions', {
    schema: {
      tags: ['notes'], summary: 'The Mentions folder: conversations you may see where a note mentions you and you have not opened them since (newest mention first, up to 200; empty for an API key)',
      response: {
        200: described(Type.Object({ items: Type.Array(Type.Intersect([ConversationItem, Type.Object({ unseenMentions: Type.Integer() })])) }), 'Conversations with unseen mentions'),
        ...errors(401),
      },
    },
  }, async (req) => {
    const now = deps.now();
    const items = await mentionedConversations(deps, req.workspaceId, req.user);
    return { items: items.map((c) => ({ ...c, windowOpen: isWindowOpen(c.lastInboundAt, now) })) };
  });

  api.post('/conversations/:id/mentions/seen', {
    schema: {
      tags: ['notes'], params: IdParams, summary: 'Mark your mentions in this conversation seen (the web app does it when you open the conversation)',
      response: { 200: described(Type.Object({ seen: Type.Integer({ description: 'How many were unseen' }) }), 'Marked'), ...errors(401, 'conversation_not_found') },
    },
  }, async (req) => ({ seen: await markConversationMentionsSeen(deps, req.workspaceId, req.user, idOf(req)) }));
}
