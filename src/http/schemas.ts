// TypeBox schemas shared by the routes: they validate requests, serialise responses and are the
// OpenAPI document served at /docs. camelCase, as everywhere in Parley's own JSON API.

import { Type, type TSchema } from '@sinclair/typebox';
import { ERRORS, type ErrorCode } from '../errors.js';

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

/** One schema for every route that returns a conversation (list, single read, live resync). */
export { ConversationItem as Conversation } from './routes/conversation-schema.js';

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
  lastInboundAt: Nullable(EpochMs),
  language: Nullable(Type.String({ description: "The customer's language as set by an operator (ISO 639-1); null = not set: routing guesses it from their latest text" })),
  createdAt: EpochMs, updatedAt: EpochMs,
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

export const Template = Type.Object({
  id: Type.String(), inboxId: Nullable(Type.String()), wabaId: Type.String(), name: Type.String(), language: Type.String(),
  category: Type.String({ description: 'MARKETING, UTILITY or AUTHENTICATION' }),
  status: Type.String({ description: 'As Meta reports it: APPROVED, PENDING, REJECTED, PAUSED, DISABLED…' }),
  quality: Nullable(Type.String()), parameterFormat: Type.String(),
  components: Type.Array(Type.Unknown(), { description: "Meta's components array, verbatim" }),
  metaTemplateId: Nullable(Type.String()), rejectedReason: Nullable(Type.String()), createdAt: EpochMs, updatedAt: EpochMs,
}, { $id: 'Template' });

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

/** What a bare status means when a route names no code for it (the OpenAPI response description). */
const STATUS_MEANING: Record<number, string> = {
  400: 'validation_failed (or a more specific 400 code): the request is not valid; `message` and `details` say what to fix',
  401: 'unauthorized: a valid API key is required (Authorization: Bearer pk_…)',
  403: 'forbidden: this API key may not do that',
  404: 'not_found: no such resource in this workspace',
  409: 'conflict: the request conflicts with the current state',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'the request is valid but cannot be carried out; `details` says why',
  429: 'rate_limited: retry later',
  502: 'upstream_error: the WhatsApp Cloud API returned an error (its code in `details`)',
  503: 'database_unavailable or cloud_api_unavailable: retry later',
};

/**
 * Error responses for the OpenAPI document: a status (its general meaning) or a catalog code (its
 * status, described by the code and message), e.g. `errors(400, 401, 'contact_not_found')`.
 */
export function errors(...specs: Array<number | ErrorCode>): Record<number, TSchema> {
  const lines = new Map<number, string[]>();
  for (const spec of specs) {
    const status = typeof spec === 'number' ? spec : ERRORS[spec].status;
    const line = typeof spec === 'number' ? STATUS_MEANING[spec] ?? `error ${spec}` : `${spec}: ${ERRORS[spec].message}`;
    lines.set(status, [...(lines.get(status) ?? []), line]);
  }
  return Object.fromEntries([...lines].map(([status, text]) => [status, described(ErrorBody, text.join(' | '))]));
}

/** A response schema with its OpenAPI description (without one /docs says "Default Response"). */
export function described<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description };
}
