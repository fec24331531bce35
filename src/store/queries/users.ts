// Operator accounts of a workspace. Sign-in, sessions and teams (issue 14) build on these; the
// e-mail is unique per workspace and stored lower-cased, the password only as a scrypt hash.

import { sql } from 'kysely';
import type { UserLocale, UserRole } from '../../core/users.js';
import { LOCK_MS, MAX_FAILED_SIGN_INS, normalizeEmail } from '../../core/users.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { UserRow } from '../rows.js';

export interface UserRecord {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: UserRole;
  locale: UserLocale;
  disabledAt: number | null;
  lockedUntil: number | null;
  lastSignInAt: number | null;
  /** Invited, and no password chosen yet. */
  invitePending: boolean;
  totpEnabled: boolean;
  /** ISO 639-1 codes they answer in (language-aware routing); empty = none given. */
  languages: string[];
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  /** From services/passwords.ts hashPassword; never a password. */
  passwordHash: string;
  locale?: UserLocale;
  languages?: string[];
  now?: number;
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id, workspaceId: row.workspace_id, email: row.email, name: row.name, role: row.role,
    locale: row.locale ?? 'en', disabledAt: row.disabled_at ?? null, lockedUntil: row.locked_until ?? null,
    lastSignInAt: row.last_sign_in_at ?? null, invitePending: !row.password_hash.startsWith('scrypt$'),
    totpEnabled: (row.totp_enabled_at ?? null) !== null, languages: languagesOf(row.languages), createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

function languagesOf(text: string | null | undefined): string[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Inserts the user; a taken e-mail in this workspace raises the database's unique violation (see isUniqueViolation). */
export async function createUser(db: Db, workspaceId: string, input: NewUser): Promise<UserRecord> {
  const now = input.now ?? Date.now();
  const row: UserRow = {
    id: newId('usr', now), workspace_id: workspaceId, email: normalizeEmail(input.email), name: input.name.trim(),
    role: input.role, password_hash: input.passwordHash, created_at: now, updated_at: now,
    locale: input.locale ?? 'en', disabled_at: null, failed_sign_ins: 0, locked_until: null, last_sign_in_at: null,
    totp_secret: null, totp_enabled_at: null, totp_last_step: null, languages: JSON.stringify(input.languages ?? []),
  };
  await db.insertInto('users').values(row).execute();
  return toRecord(row);
}

export async function findUserByEmail(db: Db, workspaceId: string, email: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
  const row = await db.selectFrom('users').selectAll()
    .where('workspace_id', '=', workspaceId).where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row && { ...toRecord(row), passwordHash: row.password_hash };
}

export async function listUsers(db: Db, workspaceId: string): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}

export type UserWithHash = UserRecord & { passwordHash: string; totpSecret: string | null; totpLastStep: number | null };

export async function findUserById(db: Db, workspaceId: string, id: string): Promise<UserWithHash | undefined> {
  const row = await db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && withSecrets(row);
}

function withSecrets(row: UserRow): UserWithHash {
  return { ...toRecord(row), passwordHash: row.password_hash, totpSecret: row.totp_secret ?? null, totpLastStep: row.totp_last_step ?? null };
}

/** Every account with this e-mail, in any workspace (sign-in may not name one), with the workspace's name. */
export async function findUsersByEmailEverywhere(db: Db, email: string): Promise<Array<UserWithHash & { workspaceName: string }>> {
  const rows = await db.selectFrom('users').innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .selectAll('users').select('workspaces.name as workspace_name')
    .where('users.email', '=', normalizeEmail(email)).orderBy('users.created_at').orderBy('users.id').limit(50).execute();
  return rows.map((row) => ({ ...withSecrets(row), workspaceName: row.workspace_name }));
}

export interface UserChange { name?: string; role?: UserRole; locale?: UserLocale; disabledAt?: number | null; passwordHash?: string; languages?: string[] }

export async function updateUser(db: Db, workspaceId: string, id: string, change: UserChange, now: number): Promise<UserRecord | undefined> {
  await db.updateTable('users').set({
    updated_at: now,
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.role !== undefined ? { role: change.role } : {}),
    ...(change.locale !== undefined ? { locale: change.locale } : {}),
    ...(change.disabledAt !== undefined ? { disabled_at: change.disabledAt } : {}),
    ...(change.languages !== undefined ? { languages: JSON.stringify(change.languages) } : {}),
    ...(change.passwordHash !== undefined ? { password_hash: change.passwordHash, failed_sign_ins: 0, locked_until: null } : {}),
  }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  const user = await findUserById(db, workspaceId, id);
  return user && toPublic(user);
}

function toPublic({ passwordHash: _hash, totpSecret: _secret, totpLastStep: _step, ...user }: UserWithHash): UserRecord {
  return user;
}

/** Enrolment stores a new secret (not yet in force); confirming enables it; disabling forgets it. */
export async function setTotp(db: Db, workspaceId: string, id: string, change: { secret: string | null; enabledAt: number | null }, now: number): Promise<void> {
  await db.updateTable('users').set({ totp_secret: change.secret, totp_enabled_at: change.enabledAt, totp_last_step: null, updated_at: now })
    .where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Records a TOTP step as used, only if it is newer than the last (two sign-ins with one code: one wins). */
export async function useTotpStep(db: Db, workspaceId: string, id: string, step: number): Promise<boolean> {
  const result = await db.updateTable('users').set({ totp_last_step: step })
    .where('workspace_id', '=', workspaceId).where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * One wrong password, counted in one statement (two concurrent guesses both count): the fifth locks
 * the account for LOCK_MS and starts the count again.
 */
export async function recordFailedSignIn(db: Db, workspaceId: string, id: string, now: number): Promise<void> {
  const reaches = sql<boolean>`failed_sign_ins + 1 >= ${sql.lit(MAX_FAILED_SIGN_INS)}`;
  await db.updateTable('users').set({
    failed_sign_ins: sql<number>`case when ${reaches} then 0 else failed_sign_ins + 1 end`,
    locked_until: sql<number | null>`case when ${reaches} then ${sql.lit(Math.trunc(now) + LOCK_MS)} else locked_until end`,
  }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function recordSignIn(db: Db, workspaceId: string, id: string, now: number): Promise<void> {
  await db.updateTable('users').set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now })
    .where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Owners who can still sign in (the last of them may not be demoted or disabled). */
export async function countActiveOwners(db: Db, workspaceId: string): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId).where('role', '=', 'owner').where('disabled_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A unique-constraint violation on either database (a taken e-mail, phone number id, …). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
