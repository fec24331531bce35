// The workspace's operators: list (anyone signed in), create with a password or as an invite link,
// change name/role/disabled, and make a password-reset link (owner/admin, or an API key).

import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { USER_ROLES } from '../../core/users.js';
import { changeUser, createUserAccount, passwordResetLink, resetUserTotp, type Actor, type CreateUserInput, type UserPatch } from '../../services/users.js';
import { listUsers, type UserRecord } from '../../store/queries/users.js';
import { requireRole, roleOf } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';

const EpochMs = Type.Integer({ description: 'Epoch milliseconds' });
export const Role = Type.Union(USER_ROLES.map((r) => Type.Literal(r)), { description: 'owner > admin > supervisor > agent' });
export const Locale = Type.Union([Type.Literal('en'), Type.Literal('ru')]);
/** Checked by the service (language_invalid naming the code), so a mistake is told in words. */
export const Languages = Type.Array(Type.String({ maxLength: 32 }), {
  maxItems: 50, description: 'The languages they answer in, ISO 639-1 codes (two lowercase letters: ru, en), at most 10; teams that match language give them chats in these',
});

export const User = Type.Object({
  id: Type.String(), email: Type.String(), name: Type.String(), role: Role, locale: Locale,
  disabled: Type.Boolean(), invitePending: Type.Boolean({ description: 'Invited, and has not chosen a password yet' }),
  totpEnabled: Type.Boolean({ description: 'Signs in with a code from an authenticator app as well' }),
  languages: Languages,
  lastSignInAt: Type.Union([EpochMs, Type.Null()]), createdAt: EpochMs, updatedAt: EpochMs,
}, { $id: 'User' });

export function userView(user: UserRecord) {
  return {
    id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, disabled: user.disabledAt !== null,
    invitePending: user.invitePending, totpEnabled: user.totpEnabled, languages: user.languages, lastSignInAt: user.lastSignInAt, createdAt: user.createdAt, updatedAt: user.updatedAt,
  };
}

export function actorOf(req: FastifyRequest): Actor {
  return { userId: req.user?.id ?? null, role: roleOf(req) };
}

export const Password = Type.String({ minLength: 1, maxLength: 1024, description: 'At least 12 characters, not a common word or sequence' });

const CreateBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  role: Role,
  password: Type.Optional(Password),
  locale: Type.Optional(Locale),
}, { additionalProperties: false });

const PatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  role: Type.Optional(Role),
  disabled: Type.Optional(Type.Boolean({ description: 'A disabled user cannot sign in; their sessions end at once' })),
  languages: Type.Optional(Languages),
}, { additionalProperties: false, minProperties: 1 });

export function registerUserRoutes(api: FastifyInstance, deps: AppDeps): void {
  api.get('/users', {
    schema: { tags: ['users'], summary: "The workspace's operators", response: { 200: described(Type.Object({ items: Type.Array(User) }), 'Oldest first'), ...errors(401) } },
  }, async (req) => ({ items: (await listUsers(deps.database.db, req.workspaceId)).map(userView) }));

  api.post('/users', {
    schema: {
      tags: ['users'], summary: 'Create an operator: with a password (active at once) or without (an invite link, valid 7 days)',
      body: CreateBody,
      response: {
        201: described(Type.Object({ user: User, inviteUrl: Type.Optional(Type.String({ description: 'Path of the one-use invite link (/invite/<token>), only when no password was given' })) }), 'Created'),
        ...errors(400, 'password_rejected', 401, 'forbidden', 'owner_only', 'csrf_failed', 'user_exists'),
      },
    },
  }, async (req, reply) => {
    requireRole(req, 'admin');
    const { user, inviteUrl } = await createUserAccount(deps, req.workspaceId, actorOf(req), req.body as CreateUserInput);
    return reply.status(201).send({ user: userView(user), ...(inviteUrl !== undefined ? { inviteUrl } : {}) });
  });

  api.patch('/users/:id', {
    schema: {
      tags: ['users'], summary: "Change an operator's name, role, disabled or languages (owner/admin; only an owner changes owners; the last owner stays)",
      params: IdParams, body: PatchBody,
      response: { 200: described(User, 'The user as changed'), ...errors(400, 'language_invalid', 401, 'forbidden', 'owner_only', 'cannot_disable_self', 'csrf_failed', 'user_not_found', 'last_owner') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    const user = await changeUser(deps, req.workspaceId, actorOf(req), (req.params as { id: string }).id, req.body as UserPatch);
    return userView(user);
  });

  api.post('/users/:id/password-reset', {
    schema: {
      tags: ['users'], summary: 'Make a one-use password-reset link (valid 24 h) to pass on to the person',
      params: IdParams,
      response: { 200: described(Type.Object({ resetUrl: Type.String({ description: 'Path: /reset-password/<token>' }) }), 'The link; earlier reset links of this user stop working'), ...errors(401, 'forbidden', 'owner_only', 'csrf_failed', 'user_not_found') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return { resetUrl: await passwordResetLink(deps, req.workspaceId, actorOf(req), (req.params as { id: string }).id) };
  });

  api.delete('/users/:id/totp', {
    schema: {
      tags: ['users'], summary: "Turn off a person's two-step sign-in (they lost their authenticator): they sign in with the password alone, may enrol again, and their sessions end",
      params: IdParams,
      response: { 200: described(User, 'The person, totpEnabled false'), ...errors(401, 'forbidden', 'owner_only', 'csrf_failed', 'user_not_found') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return userView(await resetUserTotp(deps, req.workspaceId, actorOf(req), (req.params as { id: string }).id));
  });
}
