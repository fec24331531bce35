// POST /api/v1/messages: send any message type. The policy decides before anything is queued: a
// denial is stored and answered 422 with its reason; an allowed message is queued (202) and goes
// out through the sender. GET /api/v1/messages/:id reads one message with its status and pricing.

import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { OutboundContent } from '../../core/message-content.js';
import { AppError } from '../../errors.js';
import { sendMessage, type SendInput } from '../../services/outbound.js';
import { getMessage } from '../../store/queries/messages.js';
import type { AppDeps } from '../deps.js';
import { IdParams, Message, described, errors } from '../schemas.js';

const Str = (max: number, opts: Record<string, unknown> = {}) => Type.String({ maxLength: max, ...opts });
const Strict = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}) });

const Media = {
  mediaId: Type.Optional(Str(128, {
    description: 'The `id` of a file uploaded with POST /api/v1/media for the sending inbox (its `metaMediaId` is accepted too); Parley sends Meta\'s media id. Give a mediaId or a link.',
  })),
  link: Type.Optional(Str(2048, { description: 'Public http(s) URL that Meta fetches' })),
};
const Header = Type.Union([
  Strict({ type: Type.Literal('text'), text: Str(60) }),
  Strict({ type: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('document')]), ...Media }),
]);
const Interactive = { body: Str(4096), header: Type.Optional(Header), footer: Type.Optional(Str(60)) };
const TextParam = Strict({ type: Type.Literal('text'), text: Str(32768), paramName: Type.Optional(Str(64)) });
const TemplateParam = Type.Union([
  TextParam,
  Strict({ type: Type.Literal('currency'), fallback: Str(256, { minLength: 1 }), code: Str(3, { pattern: '^[A-Z]{3}$', description: 'ISO 4217' }), amount1000: Type.Integer(), paramName: Type.Optional(Str(64)) }),
  Strict({ type: Type.Literal('date_time'), fallback: Str(256, { minLength: 1 }), paramName: Type.Optional(Str(64)) }),
  Strict({ type: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('document')]), filename: Type.Optional(Str(240)), ...Media }),
  Strict({ type: Type.Literal('location'), latitude: Type.Number(), longitude: Type.Number(), name: Type.Optional(Str(1000)), address: Type.Optional(Str(1000)) }),
]);
const ButtonParam = Type.Union([
  Strict({ index: Type.Integer({ minimum: 0, maximum: 9 }), subType: Type.Literal('quick_reply'), payload: Str(256) }),
  Strict({ index: Type.Integer({ minimum: 0, maximum: 9 }), subType: Type.Literal('url'), text: Str(2000) }),
  Strict({ index: Type.Integer({ minimum: 0, maximum: 9 }), subType: Type.Literal('copy_code'), couponCode: Str(15, { minLength: 1 }) }),
]);
const Opt = (max: number) => Type.Optional(Str(max));
const ContactName = Strict({
  formattedName: Str(512), firstName: Opt(256), lastName: Opt(256), middleName: Opt(256), suffix: Opt(64), prefix: Opt(64),
}, 'formattedName and at least one other part: Meta refuses a card with formattedName alone (131008)');
const ContactCard = Strict({
  name: ContactName,
  phones: Type.Optional(Type.Array(Strict({ phone: Opt(64), type: Opt(32), waId: Opt(32) }), { maxItems: 20 })),
  emails: Type.Optional(Type.Array(Strict({ email: Opt(320), type: Opt(32) }), { maxItems: 20 })),
  urls: Type.Optional(Type.Array(Strict({ url: Opt(2048), type: Opt(32) }), { maxItems: 20 })),
  addresses: Type.Optional(Type.Array(Strict({
    street: Opt(512), city: Opt(256), state: Opt(256), zip: Opt(32), country: Opt(256), countryCode: Opt(8), type: Opt(32),
  }), { maxItems: 20 })),
  org: Type.Optional(Strict({ company: Opt(256), department: Opt(256), title: Opt(256) })),
  birthday: Type.Optional(Str(10, { pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })),
});

/** A message's content, as POST /messages and send-later take it. */
export const Content = Type.Union([
  Strict({ type: Type.Literal('text'), body: Str(4096), previewUrl: Type.Optional(Type.Boolean()) }, 'Free-form text (inside the 24-hour window)'),
  Strict({ type: Type.Union([Type.Literal('image'), Type.Literal('video')]), caption: Type.Optional(Str(1024)), ...Media }),
  Strict({ type: Type.Literal('audio'), voice: Type.Optional(Type.Boolean()), ...Media }),
  Strict({ type: Type.Literal('document'), caption: Type.Optional(Str(1024)), filename: Type.Optional(Str(240)), ...Media }),
  Strict({ type: Type.Literal('sticker'), ...Media }),
  Strict({ type: Type.Literal('location'), latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }), name: Type.Optional(Str(1000)), address: Type.Optional(Str(1000)) }),
  Strict({ type: Type.Literal('contacts'), contacts: Type.Array(ContactCard, { minItems: 1, maxItems: 257 }) }),
  Strict({ type: Type.Literal('reaction'), messageWamid: Str(128), emoji: Str(16) }, 'React to a message by its WhatsApp id; an empty emoji removes the reaction'),
  Strict({ type: Type.Literal('buttons'), ...Interactive, buttons: Type.Array(Strict({ id: Str(256), title: Str(20) }), { minItems: 1, maxItems: 3 }) }),
  Strict({
    type: Type.Literal('list'), ...Interactive, buttonText: Str(20),
    sections: Type.Array(Strict({ title: Type.Optional(Str(24)), rows: Type.Array(Strict({ id: Str(200), title: Str(24), description: Type.Optional(Str(72)) }), { minItems: 1, maxItems: 10 }) }), { minItems: 1, maxItems: 10 }),
  }),
  Strict({ type: Type.Literal('cta_url'), ...Interactive, displayText: Str(20), url: Str(2000) }),
  Strict({
    type: Type.Literal('template'), name: Str(512), language: Str(15, { description: "Approved language code, e.g. 'en_US', 'ru'" }),
    header: Type.Optional(Type.Array(TemplateParam, { maxItems: 1 })),
    body: Type.Optional(Type.Array(TemplateParam, { maxItems: 100 })),
    buttons: Type.Optional(Type.Array(ButtonParam, { maxItems: 10 })),
  }, 'An approved template (the only kind allowed outside the 24-hour window)'),
]);

const SendBody = Strict({
  inboxId: Type.Optional(Str(64, { description: "Sending number; optional when the workspace has only one" })),
  to: Type.Optional(Str(32, { description: 'Recipient phone number, international format (+79161234567)' })),
  contactId: Type.Optional(Str(64)),
  replyToMessageId: Type.Optional(Str(64, { description: 'Quote a message of the conversation' })),
  content: Content,
});

/** Each content type's own schema, so a bad content is reported against its type, not the whole union. */
const CONTENT_BY_TYPE = new Map<string, TSchema>(Content.anyOf.flatMap((branch) => {
  const tag = (branch as { properties: { type: { const?: string; anyOf?: Array<{ const: string }> } } }).properties.type;
  return (tag.anyOf ?? [tag]).map((t) => [t.const!, branch] as [string, TSchema]);
}));

/** Runs before schema validation: names the one problem with `content` (Ajv would list every union branch). */
export function checkContentShape(body: unknown): void {
  const content = (body as { content?: unknown } | null)?.content;
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return;
  const type = (content as { type?: unknown }).type;
  const schema = typeof type === 'string' ? CONTENT_BY_TYPE.get(type) : undefined;
  if (!schema) throw new AppError('validation_failed', `content.type must be one of: ${[...CONTENT_BY_TYPE.keys()].join(', ')}.`);
  const problem = Value.Errors(schema, content).First();
  if (problem) throw new AppError('validation_failed', `content${problem.path.replaceAll('/', '.')}: ${problem.message}.`);
}

const Denial = Type.Object({
  error: Type.Object({
    code: Type.Literal('policy_denied'), message: Type.String(),
    details: Type.Object({ reason: Type.String(), rule: Type.String(), retryAt: Type.Optional(Type.Integer()), message: Message }),
  }),
});

export function registerMessageRoutes(api: FastifyInstance, deps: AppDeps): void {
  api.post('/messages', {
    schema: {
      tags: ['messages'], summary: 'Send a message',
      description: 'Checks Meta\'s rules first. Allowed → 202 with the queued message; denied → 422 `policy_denied` with the reason, and the denied message is stored. '
        + 'Content Meta would refuse is 400 before anything is stored (`validation_failed` with `details.issues`); a `mediaId` unknown in this workspace is 404 `media_not_found`, '
        + 'one of another inbox, expired or of the wrong type for the message is 400 `media_not_usable`.',
      body: SendBody,
      response: {
        202: described(Message, 'Allowed: the message, queued'),
        ...errors(400, 'json_too_deep', 'media_not_usable', 401, 'conversation_assigned_to_other', 'inbox_not_found', 'contact_not_found', 'message_not_found', 'media_not_found', 502, 503),
        422: described(Denial, 'policy_denied: a sending rule denied it; the denied message is stored and returned in details.message'),
      },
    },
    preValidation: async (req) => { checkContentShape(req.body); },
  }, async (req, reply) => {
    const body = req.body as Omit<SendInput, 'content'> & { content: OutboundContent };
    // An agent's session may reply only in an unassigned chat or one assigned to them (API keys are not restricted).
    const { message, decision } = await sendMessage(deps, req.workspaceId, body, { user: req.user });
    if (!decision.allow) {
      throw new AppError('policy_denied', decision.message, {
        reason: decision.reason, rule: decision.rule, ...(decision.retryAt !== undefined ? { retryAt: decision.retryAt } : {}), message,
      });
    }
    return reply.status(202).send(message);
  });

  api.get('/messages/:id', {
    schema: { tags: ['messages'], params: IdParams, response: { 200: described(Message, 'The message with its current status'), ...errors(401, 'message_not_found') } },
  }, async (req) => {
    const message = await getMessage(deps.database.db, req.workspaceId, (req.params as { id: string }).id);
    if (!message) throw new AppError('message_not_found');
    return message;
  });
}
