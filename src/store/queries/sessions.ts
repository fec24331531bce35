// Operator sessions and one-use links (invite, password reset). Both are keyed by the SHA-256 of a
// random token the person holds (cookie or link), so a copy of the database signs nobody in.

import type { Db } from '../db.js';
import type { SessionRow, UserRow, UserTokenRow } from '../rows.js';

export type SessionWithUser = SessionRow & { user: UserRow };

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user, if the session exists (expiry and disabling are the caller's to judge). */
export async function findSessionWithUser(db: Db, id: string): Promise<SessionWithUser | undefined> {
  const session = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!session) return undefined;
  const user = await db.selectFrom('users').selectAll()
    .where('workspace_id', '=', session.workspace_id).where('id', '=', session.user_id).executeTakeFirst();
  return user && { ...session, user };
}

export async function touchSession(db: Db, id: string, now: number, expiresAt: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of the user but `keepId` (a password change keeps the session that made it). */
export async function deleteUserSessions(db: Db, workspaceId: string, userId: string, keepId?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('workspace_id', '=', workspaceId).where('user_id', '=', userId);
  if (keepId !== undefined) query = query.where('id', '!=', keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Expired sessions are removed now and then, so the table does not grow with every sign-in. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function insertUserToken(db: Db, row: UserTokenRow): Promise<void> {
  await db.insertInto('user_tokens').values(row).execute();
}

/** A link that can still be used (not used, not expired), without using it. */
export async function findUsableUserToken(db: Db, id: string, kind: UserTokenRow['kind'], now: number): Promise<UserTokenRow | undefined> {
  return db.selectFrom('user_tokens').selectAll()
    .where('id', '=', id).where('kind', '=', kind).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
}

/**
 * Uses a link once: marks it used in one conditional update (two clicks at once: one wins) and
 * returns it, or undefined when it is unknown, of another kind, expired or already used.
 */
export async function consumeUserToken(db: Db, id: string, kind: UserTokenRow['kind'], now: number): Promise<UserTokenRow | undefined> {
  const result = await db.updateTable('user_tokens').set({ used_at: now })
    .where('id', '=', id).where('kind', '=', kind).where('used_at', 'is', null).where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('user_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A new link of a kind replaces the user's earlier unused ones (the last reset link sent is the one that works). */
export async function expireUserTokens(db: Db, workspaceId: string, userId: string, kind: UserTokenRow['kind'], now: number): Promise<void> {
  await db.updateTable('user_tokens').set({ expires_at: now })
    .where('workspace_id', '=', workspaceId).where('user_id', '=', userId).where('kind', '=', kind)
    .where('used_at', 'is', null).where('expires_at', '>', now).execute();
}
