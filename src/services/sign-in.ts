// Signing in with e-mail and password: account lock-out after repeated wrong passwords, a per-address
// limit on failures, the same answer (and about the same time) for an unknown e-mail and a wrong
// password, a choice of workspace when one e-mail has accounts in several, and a TOTP second factor.

import { IP_FAILURES_PER_MINUTE, isLocked } from '../core/users.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { findUsersByEmailEverywhere, recordFailedSignIn, recordSignIn, type UserWithHash } from '../store/queries/users.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { createSession, type NewSession, type SessionUser } from './sessions.js';
import { checkTotp } from './totp.js';

/** Failed sign-ins per client address in fixed one-minute windows, in this process's memory. */
export class SignInFailures {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly limit = IP_FAILURES_PER_MINUTE, private readonly windowMs = 60_000) {}

  /** When the address may try again, if it has used up this window. */
  blockedUntil(ip: string, now: number): number | undefined {
    const w = this.windows.get(ip);
    return w && now - w.start < this.windowMs && w.count >= this.limit ? w.start + this.windowMs : undefined;
  }

  fail(ip: string, now: number): void {
    const w = this.windows.get(ip);
    if (w && now - w.start < this.windowMs) { w.count += 1; return; }
    if (this.windows.size > 10_000) this.prune(now);
    this.windows.set(ip, { start: now, count: 1 });
  }

  private prune(now: number): void {
    for (const [ip, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(ip);
  }
}

let dummyHash: Promise<string> | undefined;
/** A hash to check unknown e-mails against, so they cost as much time as a wrong password. */
function hashForNobody(): Promise<string> {
  dummyHash ??= hashPassword(`nobody-${Math.random()}-${Date.now()}`);
  return dummyHash;
}

/** A user who has not accepted an invite yet has no usable hash: check the dummy one, in the same time. */
async function passwordMatches(password: string, user: UserWithHash): Promise<boolean> {
  if (!user.passwordHash.startsWith('scrypt$')) {
    await verifyPassword(password, await hashForNobody());
    return false;
  }
  return verifyPassword(password, user.passwordHash);
}

export interface SignInInput { email: string; password: string; workspaceId?: string; totp?: string; ip: string; userAgent?: string }
export interface SignedIn { user: SessionUser; workspace: { id: string; name: string }; session: NewSession }

function retryMessage(until: number, now: number): { seconds: number; at: string } {
  return { seconds: Math.max(1, Math.ceil((until - now) / 1000)), at: new Date(until).toISOString() };
}

export function lockedError(until: number, now: number): AppError {
  const retry = retryMessage(until, now);
  return new AppError('sign_in_locked', `Too many wrong passwords: this account is locked until ${retry.at} (try again in ${Math.ceil(retry.seconds / 60)} min), or ask an admin for a password-reset link.`, { retryAfterSeconds: retry.seconds, retryAt: until });
}

function tooManyFromHere(until: number, now: number): AppError {
  const retry = retryMessage(until, now);
  return new AppError('rate_limited', `Too many failed sign-ins from this address: try again in ${retry.seconds} s.`, { retryAfterSeconds: retry.seconds, retryAt: until });
}

const invalid = () => new AppError('invalid_credentials', 'The e-mail or password is wrong. Check both and try again.');

export async function signIn(deps: AppDeps, failures: SignInFailures, input: SignInInput): Promise<SignedIn> {
  const { db } = deps.database;
  const now = deps.now();
  const blocked = failures.blockedUntil(input.ip, now);
  if (blocked !== undefined) throw tooManyFromHere(blocked, now);

  const everywhere = await findUsersByEmailEverywhere(db, input.email);
  const candidates = input.workspaceId === undefined ? everywhere : everywhere.filter((u) => u.workspaceId === input.workspaceId);
  const open = candidates.filter((u) => !isLocked(u.lockedUntil, now));
  if (open.length === 0 && candidates.length > 0) {
    throw lockedError(Math.min(...candidates.map((u) => u.lockedUntil ?? now)), now);
  }
  if (open.length === 0) {
    await verifyPassword(input.password, await hashForNobody());
    failures.fail(input.ip, now);
    throw invalid();
  }
  const matched: typeof open = [];
  for (const user of open) {
    if (await passwordMatches(input.password, user)) matched.push(user);
    else await recordFailedSignIn(db, user.workspaceId, user.id, now);
  }
  if (matched.length === 0) {
    failures.fail(input.ip, now);
    throw invalid();
  }
  const active = matched.filter((u) => u.disabledAt === null);
  if (active.length === 0) throw new AppError('account_disabled');
  if (active.length > 1) {
    throw new AppError('workspace_choice_required', 'This e-mail signs in to several workspaces: send the workspaceId of one of details.workspaces.',
      { workspaces: active.map((u) => ({ id: u.workspaceId, name: u.workspaceName })) });
  }
  const user = active[0]!;
  if (user.totpEnabled) {
    // The password was right: only now is the second factor asked for (and a wrong code counts as a failure).
    if (input.totp === undefined) throw new AppError('totp_required', 'Enter the 6-digit code from your authenticator app and send it as totp (with the same e-mail and password).');
    if (!(await checkTotp(deps, user, input.totp))) {
      await recordFailedSignIn(db, user.workspaceId, user.id, now);
      failures.fail(input.ip, now);
      throw new AppError('invalid_credentials', 'The code from the authenticator app is wrong or was already used: enter the one it shows now.');
    }
  }
  await recordSignIn(db, user.workspaceId, user.id, now);
  return signedIn(deps, user, user.workspaceName, input);
}

/** A new session for a user who proved who they are (password, invite or reset link). */
export async function signedIn(deps: AppDeps, user: Omit<SessionUser, never>, workspaceName: string, client: { ip?: string; userAgent?: string }): Promise<SignedIn> {
  const session = await createSession(deps, user, client);
  const sessionUser: SessionUser = { id: user.id, workspaceId: user.workspaceId, email: user.email, name: user.name, role: user.role, locale: user.locale };
  return { user: sessionUser, workspace: { id: user.workspaceId, name: workspaceName }, session };
}

