// Inboxes (WhatsApp business numbers) of the workspace: list, get, connect a number with its
// access token and app secret (stored encrypted, never returned) once Meta confirms the token can read it.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { connectInbox } from '../../services/inboxes.js';
import { getInbox, listInboxes } from '../../store/queries/inboxes.js';
import type { AppDeps } from '../deps.js';
import { IdParams, Inbox, described, errors } from '../schemas.js';

const Digits = (description: string) => Type.String({ pattern: '^[0-9]{1,20}$', description });

const Ignored = (description: string) => `Deprecated and ignored: ${description} is read from Meta when the number is verified.`;

const NewInboxBody = Type.Object({
  phoneNumberId: Digits("Meta's phone number id; the access token must be able to read it"),
  wabaId: Digits('WhatsApp Business Account id; it must list the phone number'),
  accessToken: Type.String({ minLength: 1, maxLength: 2048, description: 'System user access token (stored encrypted); Parley verifies the number with it' }),
  appSecret: Type.String({ minLength: 1, maxLength: 256, description: 'App secret for webhook signatures (stored encrypted)' }),
  displayPhoneNumber: Type.Optional(Type.String({ maxLength: 32, description: Ignored('the display number') })),
  verifiedName: Type.Optional(Type.String({ maxLength: 256, description: Ignored('the verified name') })),
  throughputMps: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: Ignored('throughput') })),
  messagingLimit: Type.Optional(Type.Integer({ minimum: -1, description: Ignored('the messaging limit') })),
}, { additionalProperties: false });

export function registerInboxRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/inboxes', {
    schema: { tags: ['inboxes'], response: { 200: described(Type.Object({ items: Type.Array(Inbox) }), "The workspace's inboxes"), ...errors(401) } },
  }, async (req) => ({ items: await listInboxes(db, req.workspaceId) }));

  api.get('/inboxes/:id', {
    schema: { tags: ['inboxes'], params: IdParams, response: { 200: described(Inbox, 'The inbox'), ...errors(401, 'inbox_not_found') } },
  }, async (req) => {
    const inbox = await getInbox(db, req.workspaceId, (req.params as { id: string }).id);
    if (!inbox) throw new AppError('inbox_not_found');
    return inbox;
  });

  api.post('/inboxes', {
    schema: {
      tags: ['inboxes'],
      summary: 'Connect a WhatsApp number (verified with Meta using the given token)',
      description: 'Parley reads the number and its WhatsApp Business Account through the Graph API with `accessToken` and stores what Meta says '
        + '(display number, verified name, quality rating, status, messaging limit, throughput). 422: the token, number or WABA does not check out; '
        + '409: the number cannot be connected here; 503: Meta could not be reached.',
      body: NewInboxBody,
      response: {
        201: described(Inbox, 'Connected, with what Meta says about the number'),
        ...errors(400, 401, 'conflict', 'phone_number_unavailable', 'access_token_invalid', 'phone_number_inaccessible',
          'waba_inaccessible', 'phone_number_not_in_waba', 'upstream_error', 'cloud_api_unavailable'),
      },
    },
  }, async (req, reply) => {
    const body = req.body as { phoneNumberId: string; wabaId: string; accessToken: string; appSecret: string };
    const { phoneNumberId, wabaId, accessToken, appSecret } = body;
    const inbox = await connectInbox(deps, req.workspaceId, { phoneNumberId, wabaId, accessToken, appSecret });
    return reply.status(201).send(inbox);
  });
}
