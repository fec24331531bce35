// Authentication for /api/v1: an API key (`Authorization: Bearer pk_…` or `X-Api-Key: pk_…`) or an
// operator's session cookie (then unsafe methods need `X-CSRF-Token`). Sets `req.workspaceId` and
// `req.user` (null for an API key); `requireRole` checks an operator's role (an API key is an owner).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAtLeast, type UserRole } from '../core/users.js';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, csrfMatches, isSecureRequest, sessionCookieOptions, sessionTokenOf, sessionUserFromCookieHeader, type SessionUser } from '../services/sessions.js';
import { findApiKey, touchApiKey } from '../store/queries/api-keys.js';
import type { AppDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    workspaceId: string;
    /** The signed-in operator; null when the request came with an API key. */
    user: SessionUser | null;
    /** The session's id (SHA-256 of the cookie token) when signed in with a cookie. */
    sessionId: string | null;
    /** The session's CSRF token when signed in with a cookie. */
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** 'none': the route authenticates by itself (sign-in, accept-invite, reset-password). */
    auth?: 'none';
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

async function authenticateApiKey(req: FastifyRequest, deps: AppDeps, presented: string): Promise<void> {
  const key = await findApiKey(deps.database.db, presented);
  if (!key) throw new AppError('unauthorized', 'The API key is unknown or revoked.');
  req.workspaceId = key.workspaceId;
  req.user = null;
  // Last-used bookkeeping must never fail or slow the request, and is kept to the minute so it
  // is not one more write per API call.
  const now = deps.now();
  if (key.lastUsedAt === null || now - key.lastUsedAt > 60_000) {
    touchApiKey(deps.database.db, key.workspaceId, key.id, now).catch(() => undefined);
  }
}

/** Adds the auth hook to one encapsulated scope (the API routes), not to webhooks or docs. */
export function requireApiKey(scope: FastifyInstance, deps: AppDeps): void {
  scope.decorateRequest('workspaceId', '');
  scope.decorateRequest('user', null);
  scope.decorateRequest('sessionId', null);
  scope.decorateRequest('csrfToken', null);
  scope.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config?.auth === 'none') return;
    const presented = presentedKey(req);
    if (presented) return authenticateApiKey(req, deps, presented);
    const session = await sessionUserFromCookieHeader(deps, req.headers.cookie);
    if (!session) {
      const why = req.headers.cookie?.includes('parley_session=') ? 'Your session has ended: sign in again' : 'Sign in';
      throw new AppError('unauthorized', `${why}, or send an API key as "Authorization: Bearer pk_…" or "X-Api-Key".`);
    }
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers[CSRF_HEADER];
      if (!csrfMatches(typeof header === 'string' ? header : undefined, session.csrfToken)) {
        throw new AppError('csrf_failed', 'Send the csrfToken of your session (from sign-in or GET /api/v1/auth/me) as the X-CSRF-Token header.');
      }
    }
    req.workspaceId = session.user.workspaceId;
    req.user = session.user;
    req.sessionId = session.sessionId;
    req.csrfToken = session.csrfToken;
    if (session.renewedUntil !== undefined) renewCookie(req, reply, deps, session.renewedUntil);
  });
}

/** The expiry slid: send the cookie again so the browser keeps it as long as the server does. */
function renewCookie(req: FastifyRequest, reply: FastifyReply, deps: AppDeps, expiresAt: number): void {
  const token = sessionTokenOf(req.headers.cookie);
  if (token !== undefined && typeof reply.setCookie === 'function') {
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(isSecureRequest(req, deps.config.publicUrl), expiresAt, deps.now()));
  }
}

/** The role the request acts with: an API key can do anything in its workspace, like an owner. */
export function roleOf(req: FastifyRequest): UserRole {
  return req.user?.role ?? 'owner';
}

/** Throws 403 forbidden unless the caller's role is at least `min` (owner > admin > supervisor > agent). */
export function requireRole(req: FastifyRequest, min: UserRole): void {
  const role = roleOf(req);
  if (!roleAtLeast(role, min)) {
    throw new AppError('forbidden', `This needs the ${min} role or higher; you are signed in as ${role}. Ask an owner or admin of the workspace.`);
  }
}
