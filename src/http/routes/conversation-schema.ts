// The conversation as the API shows it (list item, single read, live resync): the thread, its window,
// contact, last message and unread count, and who works it (assignee, team), its state and priority.
// schemas.ts exports it as Conversation, so every route serialises the same shape.

import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const EpochMs = Type.Integer({ description: 'Epoch milliseconds' });

export const ConversationStateSchema = Type.Union(
  [Type.Literal('open'), Type.Literal('pending'), Type.Literal('snoozed'), Type.Literal('resolved')],
  { description: 'open, pending (waiting on the customer or a colleague), snoozed (until snoozedUntil or the customer\'s reply), resolved; a customer message reopens it' },
);
export const PrioritySchema = Type.Union([Type.Literal('none'), Type.Literal('low'), Type.Literal('medium'), Type.Literal('high'), Type.Literal('urgent')]);

export const ConversationItem = Type.Object({
  id: Type.String(), inboxId: Type.String(), contactId: Type.String(),
  state: ConversationStateSchema,
  lastInboundAt: Nullable(EpochMs), windowExpiresAt: Nullable(EpochMs), windowOpen: Type.Boolean(),
  entryPointExpiresAt: Nullable(EpochMs), lastMessageAt: EpochMs, createdAt: EpochMs, updatedAt: EpochMs,
  contact: Type.Object({ id: Type.String(), name: Nullable(Type.String()), e164: Nullable(Type.String()), waId: Type.String() }),
  lastMessage: Nullable(Type.Object({
    id: Type.String(), direction: Type.Union([Type.Literal('in'), Type.Literal('out')]), type: Type.String(),
    preview: Nullable(Type.String({ description: 'The first 100 characters of its text, caption or template name' })),
    status: Type.String(), createdAt: EpochMs,
  })),
  lastReadAt: Nullable(Type.Integer({ description: 'Epoch milliseconds: when the last customer message marked read (POST …/read) arrived' })),
  unreadCount: Type.Integer({ description: 'Customer messages since lastReadAt (all of them if never read), counted up to 100' }),
  assigneeId: Nullable(Type.String()), teamId: Nullable(Type.String()),
  assignee: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  team: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  priority: PrioritySchema,
  snoozedUntil: Nullable(Type.Integer({ description: 'Epoch milliseconds when a snoozed conversation wakes; null = until the customer replies (or not snoozed)' })),
  waitingSince: Nullable(Type.Integer({ description: 'Epoch milliseconds of the oldest customer message not answered yet; null when the business wrote last' })),
  sla: Nullable(Type.Object({
    status: Type.Union([Type.Literal('ok'), Type.Literal('amber'), Type.Literal('red')]),
    dueAt: Type.Integer({ description: 'Epoch milliseconds when the wait turns red (GET/PUT /api/v1/sla)' }),
  }, { description: 'The response-time target of the current wait; null when nobody waits, snoozed or resolved' })),
}, { $id: 'Conversation' });
