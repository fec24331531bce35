// Operator accounts, the pure part: roles, e-mail normalisation and the rules a new password or
// e-mail must pass. Each check returns a problem to show the person (or undefined), never throws.

export const USER_ROLES = ['owner', 'admin', 'supervisor', 'agent'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** E-mails compare case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A deliberately plain check (one @, a dotted domain, no spaces): the address is confirmed by use, not by regex. */
export function emailProblem(email: string): string | undefined {
  const value = normalizeEmail(email);
  if (value.length === 0) return 'the e-mail address is empty';
  if (value.length > 254) return 'the e-mail address is longer than 254 characters';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/.test(value) || value.includes('..')) {
    return `"${value}" is not an e-mail address (expected name@example.com)`;
  }
  return undefined;
}

/**
 * Length first (NIST SP 800-63B: at least 8, we ask 12 for an account that can do anything), then
 * refusals of the obviously guessable: one repeated character, a plain sequence, or the e-mail itself.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const rule = passwordRule(password, email);
  return rule === undefined ? undefined : describePasswordRule(rule);
}

/** Which rule a password breaks (`kind`, with the numbers to tell it), for a message in the user's language. */
export type PasswordRule =
  | { kind: 'too_short'; min: number; length: number }
  | { kind: 'too_long'; max: number }
  | { kind: 'few_characters'; min: number }
  | { kind: 'sequence' } | { kind: 'common_word' } | { kind: 'contains_email' };

export function passwordRule(password: string, email?: string): PasswordRule | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { kind: 'too_short', min: PASSWORD_MIN_LENGTH, length };
  if (length > PASSWORD_MAX_LENGTH) return { kind: 'too_long', max: PASSWORD_MAX_LENGTH };
  if (new Set(password.toLowerCase()).size < 4) return { kind: 'few_characters', min: 4 };
  if (isSequence(password.toLowerCase())) return { kind: 'sequence' };
  const letters = password.toLowerCase().replace(/[^a-z]/g, '');
  if (COMMON_WORDS.some((w) => letters === w || letters === `${w}${w}`)) return { kind: 'common_word' };
  const local = email === undefined ? '' : normalizeEmail(email).split('@')[0] ?? '';
  if (local.length >= 4 && password.toLowerCase().includes(local)) return { kind: 'contains_email' };
  return undefined;
}

export function describePasswordRule(rule: PasswordRule): string {
  switch (rule.kind) {
    case 'too_short': return `the password is too short: use at least ${rule.min} characters (got ${rule.length})`;
    case 'too_long': return `the password is too long: at most ${rule.max} characters`;
    case 'few_characters': return `the password repeats too few characters: use at least ${rule.min} different ones`;
    case 'sequence': return 'the password is a plain sequence (like 123456789012 or abcdefghijkl): choose another';
    case 'common_word': return 'the password is a common word with digits or symbols around it: choose another';
    case 'contains_email': return 'the password contains the e-mail address: choose another';
  }
}

const COMMON_WORDS = ['password', 'passw', 'qwerty', 'qwertyuiop', 'letmein', 'welcome', 'admin', 'administrator', 'parley', 'iloveyou', 'whatsapp'];

/** Runs along a keyboard row or the digits/alphabet, forwards or backwards, wrapping (…7890123…). */
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function isSequence(text: string): boolean {
  return SEQUENCES.some((seq) => {
    const run = seq.repeat(Math.ceil(text.length / seq.length) + 1);
    return run.includes(text) || run.includes([...text].reverse().join(''));
  });
}

// ── Sign-in, sessions and lock-out (issue 14) ─────────────────────────────────────────────────

export type UserLocale = 'en' | 'ru';
export const USER_LOCALES: readonly UserLocale[] = ['en', 'ru'];

/** A session lives 30 days after its last use (sliding); its last use is written at most once a minute. */
export const SESSION_TTL_MS = 30 * 24 * 3600_000;
export const SESSION_TOUCH_MS = 60_000;
/** OWASP's authentication cheat sheet: lock an account for a while after a few wrong passwords. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MS = 15 * 60_000;
/** Sign-in attempts that fail, per client address and minute, before every attempt from it is refused. */
export const IP_FAILURES_PER_MINUTE = 20;
export const INVITE_TTL_MS = 7 * 24 * 3600_000;
export const RESET_TTL_MS = 24 * 3600_000;

const ROLE_RANK: Record<UserRole, number> = { agent: 0, supervisor: 1, admin: 2, owner: 3 };

/** owner > admin > supervisor > agent. */
export function roleAtLeast(role: UserRole, min: UserRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}

export function isLocked(lockedUntil: number | null, now: number): boolean {
  return lockedUntil !== null && lockedUntil > now;
}

/** A session's new expiry when it is used at `now`, or undefined when the stored one is fresh enough. */
export function slidingExpiry(lastSeenAt: number, now: number): number | undefined {
  return now - lastSeenAt >= SESSION_TOUCH_MS ? now + SESSION_TTL_MS : undefined;
}

/**
 * What an admin may change about another user: nobody but an owner grants or takes away the owner
 * role, and the workspace's last active owner can neither be demoted nor disabled.
 */
export interface UserChangeProblem { code: 'owner_only' | 'last_owner'; message: string }

export function userChangeProblem(
  actorRole: UserRole,
  target: { role: UserRole; disabled: boolean },
  change: { role?: UserRole; disabled?: boolean },
  activeOwners: number,
): UserChangeProblem | undefined {
  const touchesOwner = target.role === 'owner' || change.role === 'owner';
  if (touchesOwner && actorRole !== 'owner' && (change.role !== undefined || change.disabled !== undefined)) {
    return { code: 'owner_only', message: 'only an owner can give or take away the owner role, or disable an owner' };
  }
  const losesOwner = target.role === 'owner' && !target.disabled
    && ((change.role !== undefined && change.role !== 'owner') || change.disabled === true);
  if (losesOwner && activeOwners <= 1) return { code: 'last_owner', message: 'this is the workspace\'s last owner: make another user owner first' };
  return undefined;
}
