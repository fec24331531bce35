// API keys of the caller's workspace: list, create (the full key is shown once), revoke.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../store/queries/api-keys.js';
import type { AppDeps } from '../deps.js';
import { ApiKey, IdParams, described, errors } from '../schemas.js';

export function registerApiKeyRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/api-keys', {
    schema: { tags: ['api-keys'], response: { 200: described(Type.Object({ items: Type.Array(ApiKey) }), "The workspace's API keys (never the secrets)"), ...errors(401) } },
  }, async (req) => ({ items: await listApiKeys(db, req.workspaceId) }));

  api.post('/api-keys', {
    schema: {
      tags: ['api-keys'], summary: 'Create an API key; the key itself is returned only here',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
      response: { 201: described(Type.Object({ apiKey: ApiKey, key: Type.String() }), 'The new key: `key` is shown this once'), ...errors(400, 401) },
    },
  }, async (req, reply) => {
    const { record, key } = await createApiKey(db, req.workspaceId, { name: (req.body as { name: string }).name, now: deps.now() });
    return reply.status(201).send({ apiKey: record, key });
  });

  api.delete('/api-keys/:id', {
    schema: {
      tags: ['api-keys'], summary: "Revoke an API key (not the workspace's last live one: 409 last_api_key)",
      params: IdParams, response: { 204: described(Type.Null(), 'Revoked'), ...errors(401, 'not_found', 'last_api_key') },
    },
  }, async (req, reply) => {
    const result = await revokeApiKey(db, req.workspaceId, (req.params as { id: string }).id, deps.now());
    if (result === 'not_found') throw new AppError('not_found', 'No such live API key in this workspace.');
    if (result === 'last_key') {
      throw new AppError('last_api_key', "This is the workspace's last active API key: create another key (POST /api/v1/api-keys) before revoking this one.");
    }
    return reply.status(204).send();
  });
}
