// API keys of the caller's workspace: list, create (the full key is shown once), revoke.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../store/queries/api-keys.js';
import type { AppDeps } from '../deps.js';
import { ApiKey, IdParams, errors } from '../schemas.js';

export function registerApiKeyRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/api-keys', {
    schema: { tags: ['api-keys'], response: { 200: Type.Object({ items: Type.Array(ApiKey) }), ...errors(401) } },
  }, async (req) => ({ items: await listApiKeys(db, req.workspaceId) }));

  api.post('/api-keys', {
    schema: {
      tags: ['api-keys'], summary: 'Create an API key; the key itself is returned only here',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ apiKey: ApiKey, key: Type.String() }), ...errors(400, 401) },
    },
  }, async (req, reply) => {
    const { record, key } = await createApiKey(db, req.workspaceId, { name: (req.body as { name: string }).name, now: deps.now() });
    return reply.status(201).send({ apiKey: record, key });
  });

  api.delete('/api-keys/:id', {
    schema: { tags: ['api-keys'], params: IdParams, response: { 204: Type.Null(), ...errors(401, 404) } },
  }, async (req, reply) => {
    const revoked = await revokeApiKey(db, req.workspaceId, (req.params as { id: string }).id, deps.now());
    if (!revoked) throw new AppError('not_found', 'No such live API key in this workspace.');
    return reply.status(204).send();
  });
}
