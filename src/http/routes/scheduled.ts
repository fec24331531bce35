// Send later: schedule a message in a conversation, list what waits (and what failed), cancel one.
// The message is decided by the policy when it goes (routes/messages.ts decides at once).

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { OutboundContent } from '../../core/message-content.js';
import { cancelScheduled, listConversationScheduled, scheduleMessage } from '../../services/scheduled.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';
import { Content, checkContentShape } from './messages.js';

const Scheduled = Type.Object({
  id: Type.String(), conversationId: Type.String(),
  content: Type.Unknown({ description: 'What will be (or was) sent, as in POST /api/v1/messages' }),
  replyToMessageId: Type.Union([Type.String(), Type.Null()]),
  createdByUserId: Type.Union([Type.String(), Type.Null()], { description: 'null when scheduled with an API key' }),
  createdByName: Type.Union([Type.String(), Type.Null()], {
    description: "The author's name, so whoever has the conversation now sees who promised it; null for an API key (or an account since removed)",
  }),
  sendAt: Type.Integer({ description: 'Epoch milliseconds' }),
  status: Type.Union(['scheduled', 'sent', 'failed', 'cancelled'].map((s) => Type.Literal(s)), {
    description: 'scheduled: waiting; sent: queued to the Cloud API at sendAt (messageId); failed: refused at send time (error; messageId when the policy refused it, stored with its reason); cancelled',
  }),
  messageId: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  createdAt: Type.Integer(), updatedAt: Type.Integer(),
}, { $id: 'ScheduledMessage' });

export function registerScheduledRoutes(api: FastifyInstance, deps: AppDeps): void {
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  api.post('/conversations/:id/scheduled-messages', {
    schema: {
      tags: ['messages'], params: IdParams, summary: 'Send a message later, at sendAt',
      description: 'The message is checked now (content, who may reply, a time from 1 minute to 30 days ahead, and — for anything but a template — '
        + 'the customer service window as it stands must still be open at sendAt), and decided by the policy again when it goes: '
        + 'if it is refused then, the scheduled message becomes `failed` with the reason.',
      body: Type.Object({
        content: Content,
        sendAt: Type.Integer({ description: 'When to send it, epoch milliseconds' }),
        replyToMessageId: Type.Optional(Type.String({ maxLength: 64, description: 'Quote a message of the conversation' })),
      }, { additionalProperties: false }),
      response: {
        201: described(Scheduled, 'Scheduled'),
        ...errors(400, 'json_too_deep', 'scheduled_time_invalid', 401, 'conversation_assigned_to_other', 'conversation_not_found', 'scheduled_after_window', 'scheduled_limit_reached'),
      },
    },
    preValidation: async (req) => { checkContentShape(req.body); },
  }, async (req, reply) => {
    const body = req.body as { content: OutboundContent; sendAt: number; replyToMessageId?: string };
    return reply.code(201).send(await scheduleMessage(deps, req.workspaceId, req.user, idOf(req), body));
  });

  api.get('/conversations/:id/scheduled-messages', {
    schema: {
      tags: ['messages'], params: IdParams, summary: "A conversation's messages waiting to be sent later, and those that failed when their time came (by sendAt)",
      response: { 200: described(Type.Object({ items: Type.Array(Scheduled) }), 'Scheduled and failed'), ...errors(401, 'conversation_not_found') },
    },
  }, async (req) => ({ items: await listConversationScheduled(deps, req.workspaceId, req.user, idOf(req)) }));

  api.delete('/scheduled-messages/:id', {
    schema: {
      tags: ['messages'], params: IdParams, summary: 'Cancel a message waiting to be sent later (or dismiss one that failed)',
      response: { 200: described(Scheduled, 'Cancelled'), ...errors(401, 'conversation_assigned_to_other', 'scheduled_not_found', 'scheduled_not_pending') },
    },
  }, async (req) => cancelScheduled(deps, req.workspaceId, req.user, idOf(req)));
}
