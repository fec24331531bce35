// API-key authentication for /api/v1: `Authorization: Bearer pk_…` or `X-Api-Key: pk_…`.
// The key finds its workspace; every handler after this reads `req.workspaceId`.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { findApiKey, touchApiKey } from '../store/queries/api-keys.js';
import type { AppDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    workspaceId: string;
  }
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

function presentedKey(req: FastifyRequest): string | undefined {
  const bearer = bearerToken(req);
  if (bearer !== undefined) return bearer;
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

/** Adds the auth hook to one encapsulated scope (the API routes), not to webhooks or docs. */
export function requireApiKey(scope: FastifyInstance, deps: AppDeps): void {
  scope.decorateRequest('workspaceId', '');
  scope.addHook('onRequest', async (req) => {
    const presented = presentedKey(req);
    if (!presented) throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer pk_…" or "X-Api-Key".');
    const key = await findApiKey(deps.database.db, presented);
    if (!key) throw new AppError('unauthorized', 'The API key is unknown or revoked.');
    req.workspaceId = key.workspaceId;
    // Last-used bookkeeping must never fail or slow the request, and is kept to the minute so it
    // is not one more write per API call.
    const now = deps.now();
    if (key.lastUsedAt === null || now - key.lastUsedAt > 60_000) {
      touchApiKey(deps.database.db, key.workspaceId, key.id, now).catch(() => undefined);
    }
  });
}
