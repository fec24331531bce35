// TypeBox schemas shared by the routes: they validate requests, serialise responses and are the
// OpenAPI document served at /docs. camelCase, as everywhere in Parley's own JSON API.

import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const EpochMs = Type.Integer({ description: 'Epoch milliseconds' });

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable snake_case error code' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
}, { $id: 'ErrorBody' });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const Conversation = Type.Object({
  id: Type.String(), inboxId: Type.String(), contactId: Type.String(),
  state: Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('resolved')]),
  lastInboundAt: Nullable(EpochMs), windowExpiresAt: Nullable(EpochMs), windowOpen: Type.Boolean(),
  entryPointExpiresAt: Nullable(EpochMs), lastMessageAt: EpochMs, createdAt: EpochMs, updatedAt: EpochMs,
}, { $id: 'Conversation' });

export const Message = Type.Object({
  id: Type.String(), inboxId: Type.String(), conversationId: Type.String(), contactId: Type.String(),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  type: Type.String(), content: Type.Unknown(),
  template: Nullable(Type.Object({ name: Type.String(), language: Nullable(Type.String()), params: Type.Unknown(), category: Nullable(Type.String()) })),
  replyToMessageId: Nullable(Type.String()), replyToWamid: Nullable(Type.String()), wamid: Nullable(Type.String()),
  status: Type.String({ description: 'queued, sent, delivered, read, failed, denied (outbound); received (inbound)' }),
  queuedAt: Nullable(EpochMs), sentAt: Nullable(EpochMs), deliveredAt: Nullable(EpochMs), readAt: Nullable(EpochMs), failedAt: Nullable(EpochMs),
  error: Nullable(Type.Object({ code: Nullable(Type.Integer()), title: Nullable(Type.String()), details: Nullable(Type.String()) })),
  policy: Type.Unknown({ description: 'The sending decision: allow, or deny with its reason' }),
  pricing: Type.Object({ category: Nullable(Type.String()), type: Nullable(Type.String()), billable: Nullable(Type.Boolean()), costMicros: Nullable(Type.Integer()) }),
  outsideWindow: Type.Boolean(), mediaId: Nullable(Type.String()), createdAt: EpochMs, updatedAt: EpochMs,
}, { $id: 'Message' });

export const Contact = Type.Object({
  id: Type.String(), waId: Type.String(), e164: Nullable(Type.String()), name: Nullable(Type.String()),
  country: Nullable(Type.String()), market: Nullable(Type.String()),
  attributes: Type.Record(Type.String(), Type.Unknown()), tags: Type.Array(Type.String()),
  blocked: Type.Boolean(), marketingOptOut: Type.Boolean(), marketingOptOutAt: Nullable(EpochMs),
  lastInboundAt: Nullable(EpochMs), createdAt: EpochMs, updatedAt: EpochMs,
}, { $id: 'Contact' });

export const Inbox = Type.Object({
  id: Type.String(), phoneNumberId: Type.String(), wabaId: Type.String(), displayPhoneNumber: Type.String(),
  verifiedName: Nullable(Type.String()), status: Type.String(), qualityRating: Nullable(Type.String()),
  messagingLimit: Type.Integer({ description: 'Unique out-of-window recipients per moving 24 h; -1 unlimited' }),
  throughputMps: Type.Integer(), hasAccessToken: Type.Boolean(), hasAppSecret: Type.Boolean(),
  createdAt: EpochMs, updatedAt: EpochMs,
}, { $id: 'Inbox' });

export const ApiKey = Type.Object({
  id: Type.String(), name: Type.String(), prefix: Type.String(), createdAt: EpochMs,
  lastUsedAt: Nullable(EpochMs), revokedAt: Nullable(EpochMs),
}, { $id: 'ApiKey' });

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

/** Standard error responses for the OpenAPI document. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
