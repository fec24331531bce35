// Inboxes (WhatsApp business numbers) of the workspace: list, get, connect a number with its
// access token and app secret (stored encrypted, never returned).

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { createInbox, getInbox, listInboxes, type NewInbox } from '../../store/queries/inboxes.js';
import type { AppDeps } from '../deps.js';
import { IdParams, Inbox, errors } from '../schemas.js';

const Digits = (description: string) => Type.String({ pattern: '^[0-9]{1,20}$', description });

const NewInboxBody = Type.Object({
  phoneNumberId: Digits("Meta's phone number id"),
  wabaId: Digits('WhatsApp Business Account id'),
  displayPhoneNumber: Type.String({ minLength: 3, maxLength: 32 }),
  verifiedName: Type.Optional(Type.String({ maxLength: 256 })),
  accessToken: Type.String({ minLength: 1, maxLength: 2048, description: 'System user access token (stored encrypted)' }),
  appSecret: Type.String({ minLength: 1, maxLength: 256, description: 'App secret for webhook signatures (stored encrypted)' }),
  throughputMps: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 80 })),
  messagingLimit: Type.Optional(Type.Integer({ minimum: -1, description: '-1 = unlimited' })),
}, { additionalProperties: false });

export function registerInboxRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/inboxes', {
    schema: { tags: ['inboxes'], response: { 200: Type.Object({ items: Type.Array(Inbox) }), ...errors(401) } },
  }, async (req) => ({ items: await listInboxes(db, req.workspaceId) }));

  api.get('/inboxes/:id', {
    schema: { tags: ['inboxes'], params: IdParams, response: { 200: Inbox, ...errors(401, 404) } },
  }, async (req) => {
    const inbox = await getInbox(db, req.workspaceId, (req.params as { id: string }).id);
    if (!inbox) throw new AppError('inbox_not_found');
    return inbox;
  });

  api.post('/inboxes', {
    schema: { tags: ['inboxes'], summary: 'Connect a WhatsApp number', body: NewInboxBody, response: { 201: Inbox, ...errors(400, 401, 409) } },
  }, async (req, reply) => {
    const body = req.body as NewInbox & { accessToken: string; appSecret: string };
    try {
      const inbox = await createInbox(db, req.workspaceId, { ...body, status: 'CONNECTED', now: deps.now() }, deps.secretKey);
      return reply.status(201).send(inbox);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', 'This phone number id is already connected.');
      throw err;
    }
  });
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
