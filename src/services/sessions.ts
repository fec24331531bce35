// Operator sessions: a random token in the httpOnly `parley_session` cookie, stored only as its
// SHA-256; 30-day sliding expiry, a CSRF token per session, a new session on every sign-in.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { UserLocale, UserRole } from '../core/users.js';
import { SESSION_TTL_MS, slidingExpiry } from '../core/users.js';
import type { AppDeps } from '../http/deps.js';
import type { UserRow } from '../store/rows.js';
import { deleteExpiredSessions, deleteSession, findSessionWithUser, insertSession, touchSession } from '../store/queries/sessions.js';

export const SESSION_COOKIE = 'parley_session';

export interface SessionUser { id: string; workspaceId: string; email: string; name: string; role: UserRole; locale: 'en' | 'ru' }

export interface ActiveSession {
  user: SessionUser; sessionId: string; csrfToken: string;
  /** Set when this use slid the expiry: the cookie should be sent again with the new lifetime. */
  renewedUntil?: number;
}

/** SHA-256 hex: how session tokens and link tokens are looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionUserOf(row: UserRow): SessionUser {
  return { id: row.id, workspaceId: row.workspace_id, email: row.email, name: row.name, role: row.role, locale: (row.locale ?? 'en') as UserLocale };
}

/** The session token in a Cookie header, if there is one that could be ours. */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const token = fastifyCookie.parse(cookieHeader)[SESSION_COOKIE];
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
}

/**
 * The signed-in operator of a request's Cookie header, or null (no cookie, unknown, expired, user
 * disabled). A use more than a minute after the last one slides the expiry.
 */
export async function sessionUserFromCookieHeader(deps: AppDeps, cookieHeader: string | undefined): Promise<ActiveSession | null> {
  const token = sessionTokenOf(cookieHeader);
  if (token === undefined) return null;
  const sessionId = hashToken(token);
  const found = await findSessionWithUser(deps.database.db, sessionId);
  const now = deps.now();
  if (!found || found.expires_at <= now || found.user.disabled_at !== null) return null;
  const expiresAt = slidingExpiry(found.last_seen_at, now);
  if (expiresAt !== undefined) {
    // Bookkeeping must never fail the request.
    touchSession(deps.database.db, sessionId, now, expiresAt).catch(() => undefined);
  }
  return { user: sessionUserOf(found.user), sessionId, csrfToken: found.csrf_token, ...(expiresAt !== undefined ? { renewedUntil: expiresAt } : {}) };
}

export interface NewSession { token: string; sessionId: string; csrfToken: string; expiresAt: number }

/** Always a new session (never an existing cookie's: no session fixation). */
export async function createSession(deps: AppDeps, user: { id: string; workspaceId: string }, client: { ip?: string; userAgent?: string }): Promise<NewSession> {
  const now = deps.now();
  const token = newToken();
  const sessionId = hashToken(token);
  const csrfToken = newToken();
  const expiresAt = now + SESSION_TTL_MS;
  await insertSession(deps.database.db, {
    id: sessionId, user_id: user.id, workspace_id: user.workspaceId, csrf_token: csrfToken,
    created_at: now, last_seen_at: now, expires_at: expiresAt,
    ip: client.ip?.slice(0, 64) ?? null, user_agent: client.userAgent?.slice(0, 300) ?? null,
  });
  // Now and then, sweep expired sessions (cheap: by primary key scan of a small table).
  if (Math.random() < 0.05) deleteExpiredSessions(deps.database.db, now).catch(() => undefined);
  return { token, sessionId, csrfToken, expiresAt };
}

export async function endSession(deps: AppDeps, sessionId: string): Promise<void> {
  await deleteSession(deps.database.db, sessionId);
}

/** The session cookie's attributes: httpOnly, SameSite=Lax, Path=/, Secure over https, lasting as long as the session. */
/**
 * The cookie is Secure when the request came over https, or when Parley's public URL is https (behind
 * a TLS-terminating proxy the request itself is plain http).
 */
export function isSecureRequest(req: { protocol: string }, publicUrl: string | undefined): boolean {
  return req.protocol === 'https' || (publicUrl?.startsWith('https:') ?? false);
}

export function sessionCookieOptions(secure: boolean, expiresAt: number, now: number) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure, maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)) };
}

/** Constant-time comparison of the X-CSRF-Token header with the session's token. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
