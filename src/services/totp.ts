// An operator's TOTP second factor: enrol (a new secret, shown once as base32 and an otpauth URI),
// confirm with a first code (then sign-in asks for one), disable with the password; and checking a code.

import { randomBytes } from 'node:crypto';
import { base32Decode, base32Encode, matchTotp, otpauthUri } from '../core/totp.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { decryptSecret, encryptSecret } from '../store/secrets.js';
import { findUserById, setTotp, useTotpStep, type UserWithHash } from '../store/queries/users.js';
import { verifyPassword } from './passwords.js';
import type { SessionUser } from './sessions.js';

async function me(deps: AppDeps, user: SessionUser): Promise<UserWithHash> {
  const found = await findUserById(deps.database.db, user.workspaceId, user.id);
  if (!found) throw new AppError('unauthorized', 'Your account no longer exists: sign in again.');
  return found;
}

export async function enrolTotp(deps: AppDeps, user: SessionUser): Promise<{ secret: string; otpauthUri: string }> {
  const found = await me(deps, user);
  if (found.totpEnabled) throw new AppError('conflict', 'Two-step sign-in is already on: turn it off first (POST /api/v1/auth/totp/disable) to enrol a new device.');
  const secret = base32Encode(randomBytes(20));
  await setTotp(deps.database.db, user.workspaceId, user.id, { secret: encryptSecret(deps.secretKey, secret), enabledAt: null }, deps.now());
  return { secret, otpauthUri: otpauthUri(secret, user.email, 'Parley') };
}

/** True when the code is right for the user's secret and newer than the last one used (then it is spent). */
export async function checkTotp(deps: AppDeps, user: UserWithHash, code: string): Promise<boolean> {
  if (user.totpSecret === null) return false;
  const secret = base32Decode(decryptSecret(deps.secretKey, user.totpSecret));
  const step = secret && matchTotp(secret, code.replace(/\s/g, ''), deps.now(), user.totpLastStep);
  return step !== undefined && step !== null && (await useTotpStep(deps.database.db, user.workspaceId, user.id, step));
}

export async function confirmTotp(deps: AppDeps, user: SessionUser, code: string): Promise<void> {
  const found = await me(deps, user);
  if (found.totpEnabled) throw new AppError('conflict', 'Two-step sign-in is already on.');
  if (found.totpSecret === null) throw new AppError('conflict', 'Enrol first (POST /api/v1/auth/totp/enrol), then confirm with a code from the app.');
  if (!(await checkTotp(deps, found, code))) throw new AppError('validation_failed', 'The code is wrong or expired: enter the 6 digits your authenticator app shows now.');
  await setTotp(deps.database.db, user.workspaceId, user.id, { secret: found.totpSecret, enabledAt: deps.now() }, deps.now());
}

export async function disableTotp(deps: AppDeps, user: SessionUser, password: string): Promise<void> {
  const found = await me(deps, user);
  if (!(await verifyPassword(password, found.passwordHash))) throw new AppError('forbidden', 'To turn off two-step sign-in, send your current password (it did not match).');
  await setTotp(deps.database.db, user.workspaceId, user.id, { secret: null, enabledAt: null }, deps.now());
}
