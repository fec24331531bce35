// Operator sign-in over the API: sign in (sets the httpOnly session cookie), sign out, who am I (and
// the CSRF token), my name/language/password, and the public ends of invite and reset links.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../errors.js';
import { SESSION_COOKIE, endSession, isSecureRequest, sessionCookieOptions, type SessionUser } from '../../services/sessions.js';
import { SignInFailures, signIn, type SignedIn } from '../../services/sign-in.js';
import { redeemLink, updateMe, type MePatch } from '../../services/users.js';
import { confirmTotp, disableTotp, enrolTotp } from '../../services/totp.js';
import { getWorkspace } from '../../store/queries/workspaces.js';
import type { AppDeps } from '../deps.js';
import { described, errors } from '../schemas.js';
import { Languages, Locale, Password, Role } from './users.js';

const SessionUserSchema = Type.Object({
  id: Type.String(), workspaceId: Type.String(), email: Type.String(), name: Type.String(), role: Role, locale: Locale,
}, { $id: 'SessionUser' });

const SessionView = Type.Object({
  user: SessionUserSchema,
  workspace: Type.Object({ id: Type.String(), name: Type.String() }),
  csrfToken: Type.String({ description: 'Send it as the X-CSRF-Token header with every POST, PUT, PATCH and DELETE' }),
}, { $id: 'SessionView' });

const SignInBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  workspaceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Needed only when the e-mail has accounts in several workspaces (409 workspace_choice_required lists them)' })),
  totp: Type.Optional(Type.String({ minLength: 6, maxLength: 12, description: 'The authenticator code, when sign-in answered 401 totp_required' })),
}, { additionalProperties: false });

const LinkBody = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 200, description: 'The last part of the /invite/<token> or /reset-password/<token> link' }),
  password: Password,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
}, { additionalProperties: false });

const MeBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  locale: Type.Optional(Locale),
  languages: Type.Optional(Languages),
  password: Type.Optional(Password),
  currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Required with password' })),
}, { additionalProperties: false, minProperties: 1 });

const PUBLIC = { auth: 'none' as const };

function startSession(req: FastifyRequest, reply: FastifyReply, deps: AppDeps, signed: SignedIn) {
  reply.setCookie(SESSION_COOKIE, signed.session.token, sessionCookieOptions(isSecureRequest(req, deps.config.publicUrl), signed.session.expiresAt, deps.now()));
  return { user: signed.user, workspace: signed.workspace, csrfToken: signed.session.csrfToken };
}

/** 429s carry Retry-After (seconds), from the error's details. */
async function withRetryAfter<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const seconds = isAppError(err) ? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
    if (seconds !== undefined) void reply.header('retry-after', String(seconds));
    throw err;
  }
}

function signedInUser(req: FastifyRequest): SessionUser {
  if (!req.user) throw new AppError('unauthorized', 'This describes a signed-in operator: an API key has none. Sign in with POST /api/v1/auth/sign-in.');
  return req.user;
}

async function sessionView(deps: AppDeps, req: FastifyRequest, user: SessionUser) {
  const workspace = await getWorkspace(deps.database.db, user.workspaceId);
  return { user, workspace: { id: user.workspaceId, name: workspace?.name ?? '' }, csrfToken: req.csrfToken ?? '' };
}

export function registerAuthRoutes(api: FastifyInstance, deps: AppDeps): void {
  const failures = new SignInFailures();
  const client = (req: FastifyRequest) => ({ ip: req.ip, ...(typeof req.headers['user-agent'] === 'string' ? { userAgent: req.headers['user-agent'] } : {}) });

  api.post('/auth/sign-in', {
    config: PUBLIC,
    schema: {
      tags: ['auth'], summary: 'Sign in with e-mail and password: sets the parley_session cookie (httpOnly) and returns the CSRF token', security: [],
      body: SignInBody,
      response: { 200: described(SessionView, 'Signed in'), ...errors(400, 'invalid_credentials', 'totp_required', 'account_disabled', 'workspace_choice_required', 'sign_in_locked', 'rate_limited') },
    },
  }, async (req, reply) => {
    const body = req.body as { email: string; password: string; workspaceId?: string; totp?: string };
    const signed = await withRetryAfter(reply, () => signIn(deps, failures, { ...body, ...client(req) }));
    return startSession(req, reply, deps, signed);
  });

  api.post('/auth/sign-out', {
    schema: { tags: ['auth'], summary: 'End this session and clear its cookie', response: { 204: described(Type.Null(), 'Signed out'), ...errors(401, 'csrf_failed') } },
  }, async (req, reply) => {
    if (req.sessionId !== null) await endSession(deps, req.sessionId);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  api.get('/auth/me', {
    schema: { tags: ['auth'], summary: 'The signed-in operator, their workspace and the CSRF token', response: { 200: described(SessionView, 'Signed in'), ...errors(401) } },
  }, async (req) => sessionView(deps, req, signedInUser(req)));

  api.patch('/auth/me', {
    schema: {
      tags: ['auth'], summary: 'Change my name, language, the languages I answer in (GET /users shows them) or password (with currentPassword; my other sessions end)',
      body: MeBody, response: { 200: described(SessionView, 'As changed'), ...errors(400, 'password_rejected', 'language_invalid', 401, 'current_password_wrong', 'csrf_failed') },
    },
  }, async (req) => {
    const me = signedInUser(req);
    const updated = await updateMe(deps, me, req.sessionId, req.body as MePatch);
    const user: SessionUser = { id: updated.id, workspaceId: updated.workspaceId, email: updated.email, name: updated.name, role: updated.role, locale: updated.locale };
    return sessionView(deps, req, user);
  });

  api.post('/auth/totp/enrol', {
    schema: {
      tags: ['auth'], summary: 'Start two-step sign-in: a new secret for an authenticator app (in force once confirmed)',
      response: { 200: described(Type.Object({ secret: Type.String({ description: 'Base32, to type into the app' }), otpauthUri: Type.String({ description: 'otpauth:// URI for a QR code' }) }), 'Shown once'), ...errors(401, 'csrf_failed', 'conflict') },
    },
  }, async (req) => enrolTotp(deps, signedInUser(req)));

  api.post('/auth/totp/confirm', {
    schema: {
      tags: ['auth'], summary: 'Turn two-step sign-in on with a first code from the app',
      body: Type.Object({ code: Type.String({ minLength: 6, maxLength: 12 }) }, { additionalProperties: false }),
      response: { 204: described(Type.Null(), 'On: sign-in now asks for a code'), ...errors(400, 401, 'csrf_failed', 'conflict') },
    },
  }, async (req, reply) => {
    await confirmTotp(deps, signedInUser(req), (req.body as { code: string }).code);
    return reply.status(204).send();
  });

  api.post('/auth/totp/disable', {
    schema: {
      tags: ['auth'], summary: 'Turn two-step sign-in off (needs the current password)',
      body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 204: described(Type.Null(), 'Off'), ...errors(401, 'forbidden', 'csrf_failed') },
    },
  }, async (req, reply) => {
    await disableTotp(deps, signedInUser(req), (req.body as { password: string }).password);
    return reply.status(204).send();
  });

  for (const [path, kind, summary] of [
    ['/auth/accept-invite', 'invite', 'Accept an invite: choose a password (and name) and sign in; the link works once'],
    ['/auth/reset-password', 'password_reset', 'Set a new password from a reset link and sign in; the link works once, other sessions end'],
  ] as const) {
    api.post(path, {
      config: PUBLIC,
      schema: { tags: ['auth'], summary, security: [], body: LinkBody, response: { 200: described(SessionView, 'Signed in'), ...errors(400, 'password_rejected', 'link_invalid') } },
    }, async (req, reply) => {
      const body = req.body as { token: string; password: string; name?: string };
      const signed = await redeemLink(deps, kind, body.token, { password: body.password, ...(body.name !== undefined && kind === 'invite' ? { name: body.name } : {}) }, client(req));
      return startSession(req, reply, deps, signed);
    });
  }
}
