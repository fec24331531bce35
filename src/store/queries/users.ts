// Operator accounts of a workspace. Sign-in, sessions and teams (issue 14) build on these; the
// e-mail is unique per workspace and stored lower-cased, the password only as a scrypt hash.

import type { UserRole } from '../../core/users.js';
import { normalizeEmail } from '../../core/users.js';
import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { UserRow } from '../rows.js';

export interface UserRecord {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  /** From services/passwords.ts hashPassword; never a password. */
  passwordHash: string;
  now?: number;
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id, workspaceId: row.workspace_id, email: row.email, name: row.name, role: row.role,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

/** Inserts the user; a taken e-mail in this workspace raises the database's unique violation (see isUniqueViolation). */
export async function createUser(db: Db, workspaceId: string, input: NewUser): Promise<UserRecord> {
  const now = input.now ?? Date.now();
  const row: UserRow = {
    id: newId('usr', now), workspace_id: workspaceId, email: normalizeEmail(input.email), name: input.name.trim(),
    role: input.role, password_hash: input.passwordHash, created_at: now, updated_at: now,
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

/** A unique-constraint violation on either database (a taken e-mail, phone number id, …). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
