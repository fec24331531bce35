// Operator accounts: create (with a password, or as an invite link), change name/role/disabled with the
// owner rules, one-use invite and password-reset links, and a person's own profile and password.

import { languagesProblem, normalizeLanguages } from '../core/language.js';
import { describePasswordRule, emailProblem, INVITE_TTL_MS, passwordRule, RESET_TTL_MS, userChangeProblem, type UserLocale, type UserRole } from '../core/users.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { consumeUserToken, deleteUserSessions, expireUserTokens, findUsableUserToken, insertUserToken } from '../store/queries/sessions.js';
import { countActiveOwners, createUser, findUserById, isUniqueViolation, setTotp, updateUser, type UserRecord } from '../store/queries/users.js';
import { getWorkspace } from '../store/queries/workspaces.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { hashToken, newToken, type SessionUser } from './sessions.js';
import { signedIn, type SignedIn } from './sign-in.js';

/** Stored for an invited user until they choose a password: no password can match it. */
const NO_PASSWORD = 'invited';

/** Who is acting: an operator, or an API key (acts as an owner, `userId` null). */
export interface Actor { userId: string | null; role: UserRole }

function checkPassword(password: string, email: string): void {
  const rule = passwordRule(password, email);
  if (rule !== undefined) {
    const problem = describePasswordRule(rule);
    throw new AppError('password_rejected', `The password was not accepted: ${problem}.`, { problem, rule });
  }
}

export interface CreateUserInput { email: string; name: string; role: UserRole; password?: string; locale?: UserLocale }

export async function createUserAccount(deps: AppDeps, workspaceId: string, actor: Actor, input: CreateUserInput): Promise<{ user: UserRecord; inviteUrl?: string }> {
  const emailIssue = emailProblem(input.email);
  if (emailIssue !== undefined) throw new AppError('validation_failed', `email: ${emailIssue}.`);
  if (input.name.trim() === '') throw new AppError('validation_failed', 'name: give the person a name (it is shown to customers and colleagues).');
  if (input.role === 'owner' && actor.role !== 'owner') throw new AppError('owner_only', 'Only an owner can create another owner.');
  if (input.password !== undefined) checkPassword(input.password, input.email);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : NO_PASSWORD;
  const now = deps.now();
  let user: UserRecord;
  try {
    user = await createUser(deps.database.db, workspaceId, { email: input.email, name: input.name, role: input.role, passwordHash, ...(input.locale ? { locale: input.locale } : {}), now });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('user_exists', `A user with the e-mail ${input.email.trim().toLowerCase()} already exists in this workspace.`);
    throw err;
  }
  if (input.password !== undefined) return { user };
  return { user, inviteUrl: `/invite/${await newLink(deps, user, 'invite', INVITE_TTL_MS)}` };
}

async function newLink(deps: AppDeps, user: UserRecord, kind: 'invite' | 'password_reset', ttlMs: number): Promise<string> {
  const now = deps.now();
  await expireUserTokens(deps.database.db, user.workspaceId, user.id, kind, now);
  const token = newToken();
  await insertUserToken(deps.database.db, { id: hashToken(token), kind, user_id: user.id, workspace_id: user.workspaceId, created_at: now, expires_at: now + ttlMs, used_at: null });
  return token;
}

async function userOrThrow(deps: AppDeps, workspaceId: string, id: string) {
  const user = await findUserById(deps.database.db, workspaceId, id);
  if (!user) throw new AppError('user_not_found', `No user ${id} in this workspace (GET /api/v1/users lists them).`);
  return user;
}

export interface UserPatch { name?: string; role?: UserRole; disabled?: boolean; languages?: string[] }

/** The languages someone answers in, checked (AppError language_invalid naming the code) and each once. */
function checkedLanguages(languages: string[] | undefined): { languages?: string[] } {
  if (languages === undefined) return {};
  const problem = languagesProblem(languages);
  if (problem) throw new AppError('language_invalid', `languages: ${problem.message}.`, { field: 'languages', value: problem.value });
  return { languages: normalizeLanguages(languages) };
}

/** Admins and owners change others; the owner role is an owner's to give or take; the last owner stays. */
export async function changeUser(deps: AppDeps, workspaceId: string, actor: Actor, id: string, patch: UserPatch): Promise<UserRecord> {
  const { db } = deps.database;
  const target = await userOrThrow(deps, workspaceId, id);
  if (patch.disabled === true && actor.userId === id) throw new AppError('cannot_disable_self', 'You cannot disable your own account: ask another admin.');
  if (patch.name !== undefined && patch.name.trim() === '') throw new AppError('validation_failed', 'name: it cannot be empty.');
  const languages = checkedLanguages(patch.languages);
  const problem = userChangeProblem(actor.role, { role: target.role, disabled: target.disabledAt !== null }, patch, await countActiveOwners(db, workspaceId));
  if (problem !== undefined) throw new AppError(problem.code, `Not changed: ${problem.message}.`);
  const now = deps.now();
  const disabledAt = patch.disabled === undefined ? undefined : patch.disabled ? (target.disabledAt ?? now) : null;
  const updated = await updateUser(db, workspaceId, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.role !== undefined ? { role: patch.role } : {}),
    ...(disabledAt !== undefined ? { disabledAt } : {}), ...languages,
  }, now);
  if (patch.disabled === true) await deleteUserSessions(db, workspaceId, id);
  return updated!;
}

/** A one-use link (24 h) an admin passes on to someone who forgot their password. */
export async function passwordResetLink(deps: AppDeps, workspaceId: string, actor: Actor, id: string): Promise<string> {
  const target = await userOrThrow(deps, workspaceId, id);
  if (target.role === 'owner' && actor.role !== 'owner') throw new AppError('owner_only', "Only an owner can reset an owner's password.");
  return `/reset-password/${await newLink(deps, target, 'password_reset', RESET_TTL_MS)}`;
}

/**
 * Turns off someone's two-step sign-in (they lost the phone with the authenticator): they sign in with
 * the password alone and may enrol again. An owner's only by an owner. Their sessions end.
 */
export async function resetUserTotp(deps: AppDeps, workspaceId: string, actor: Actor, id: string): Promise<UserRecord> {
  const { db } = deps.database;
  const target = await userOrThrow(deps, workspaceId, id);
  if (target.role === 'owner' && actor.role !== 'owner') throw new AppError('owner_only', "Only an owner can reset an owner's two-step sign-in.");
  await setTotp(db, workspaceId, id, { secret: null, enabledAt: null }, deps.now());
  await deleteUserSessions(db, workspaceId, id);
  return (await updateUser(db, workspaceId, id, {}, deps.now()))!;
}

const badLink = () => new AppError('link_invalid');

/** Sets the password chosen through an invite or reset link and signs the person in; the link works once. */
export async function redeemLink(deps: AppDeps, kind: 'invite' | 'password_reset', token: string, input: { password: string; name?: string }, client: { ip?: string; userAgent?: string }): Promise<SignedIn> {
  const { db } = deps.database;
  const id = hashToken(token);
  const link = await findUsableUserToken(db, id, kind, deps.now());
  if (!link) throw badLink();
  const user = await findUserById(db, link.workspace_id, link.user_id);
  if (!user || user.disabledAt !== null) throw badLink();
  // The password is checked before the link is used, so a refused password does not spend it.
  checkPassword(input.password, user.email);
  const passwordHash = await hashPassword(input.password);
  const now = deps.now();
  if (!(await consumeUserToken(db, id, kind, now))) throw badLink();
  const updated = await updateUser(db, user.workspaceId, user.id, { passwordHash, ...(input.name?.trim() ? { name: input.name } : {}) }, now);
  await deleteUserSessions(db, user.workspaceId, user.id);
  const workspace = await getWorkspace(db, user.workspaceId);
  return signedIn(deps, updated!, workspace?.name ?? '', client);
}

export interface MePatch { name?: string; locale?: UserLocale; password?: string; currentPassword?: string; languages?: string[] }

/** A person's own name, language and password (a new password ends their other sessions). */
export async function updateMe(deps: AppDeps, me: SessionUser, sessionId: string | null, patch: MePatch): Promise<UserRecord> {
  const { db } = deps.database;
  if (patch.name !== undefined && patch.name.trim() === '') throw new AppError('validation_failed', 'name: it cannot be empty.');
  const languages = checkedLanguages(patch.languages);
  let passwordHash: string | undefined;
  if (patch.password !== undefined) {
    const user = await userOrThrow(deps, me.workspaceId, me.id);
    if (patch.currentPassword === undefined || !(await verifyPassword(patch.currentPassword, user.passwordHash))) {
      throw new AppError('current_password_wrong', 'To change your password, send your current one as currentPassword (it did not match).');
    }
    checkPassword(patch.password, user.email);
    passwordHash = await hashPassword(patch.password);
  }
  const updated = await updateUser(db, me.workspaceId, me.id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
    ...(passwordHash !== undefined ? { passwordHash } : {}), ...languages,
  }, deps.now());
  if (passwordHash !== undefined) await deleteUserSessions(db, me.workspaceId, me.id, sessionId ?? undefined);
  return updated!;
}
