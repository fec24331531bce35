import { describe, expect, it } from 'vitest';
import { emailProblem, isLocked, isUserRole, normalizeEmail, passwordProblem, roleAtLeast, SESSION_TTL_MS, slidingExpiry, userChangeProblem, type UserRole } from './users.js';

describe('users: e-mail', () => {
  it.each([
    ['ann@example.com', undefined],
    [' Ann.Owner+inbox@Example.CO.uk ', undefined],
    ['', /empty/],
    ['ann', /not an e-mail/],
    ['ann@localhost', /not an e-mail/],
    ['ann @example.com', /not an e-mail/],
    ['ann@@example.com', /not an e-mail/],
    ['ann@example..com', /not an e-mail/],
    [`${'a'.repeat(250)}@example.com`, /longer than 254/],
  ] as const)('%s → %s', (email, problem) => {
    const found = emailProblem(email);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  it('normalises by trimming and lower-casing', () => {
    expect(normalizeEmail('  Ann@Example.COM ')).toBe('ann@example.com');
  });
});

describe('users: password', () => {
  it.each([
    ['tram-lantern-49-violet', undefined, undefined],
    ['Ünïcödé-pässwörd', undefined, undefined],
    ['short', undefined, /too short: use at least 12 characters \(got 5\)/],
    ['x'.repeat(257), undefined, /too long/],
    ['abababababab', undefined, /at least 4 different/],
    ['123456789012', undefined, /plain sequence/],
    ['890123456789', undefined, /plain sequence/],
    ['poiuytrewqpo', undefined, /plain sequence/],
    ['Password2024!', undefined, /common word/],
    ['qwerty123456', undefined, /common word/],
    ['mike.smith-2031!', 'Mike.Smith@example.com', /contains the e-mail/],
    ['mike.smith-2031!', 'ann@example.com', undefined],
  ] as const)('%s (e-mail %s) → %s', (password, email, problem) => {
    const found = passwordProblem(password, email);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  it('knows the four roles of the team inbox', () => {
    expect(['owner', 'admin', 'supervisor', 'agent'].every(isUserRole)).toBe(true);
    expect(isUserRole('root')).toBe(false);
  });
});

describe('users: roles', () => {
  it.each([
    ['owner', 'admin', true], ['admin', 'admin', true], ['supervisor', 'admin', false], ['agent', 'supervisor', false],
    ['agent', 'agent', true], ['admin', 'owner', false], ['supervisor', 'agent', true],
  ] as const)('%s at least %s → %s', (role, min, ok) => {
    expect(roleAtLeast(role, min)).toBe(ok);
  });
});

describe('users: lock and session expiry', () => {
  it('is locked strictly before locked_until', () => {
    expect(isLocked(null, 1000)).toBe(false);
    expect(isLocked(1001, 1000)).toBe(true);
    expect(isLocked(1000, 1000)).toBe(false);
  });

  it('slides the expiry only when the last use is a minute old or more', () => {
    expect(slidingExpiry(0, 59_999)).toBeUndefined();
    expect(slidingExpiry(0, 60_000)).toBe(60_000 + SESSION_TTL_MS);
  });
});

describe('users: who may change whom', () => {
  const owner = { role: 'owner' as UserRole, disabled: false };
  const agent = { role: 'agent' as UserRole, disabled: false };
  it.each<[string, UserRole, { role: UserRole; disabled: boolean }, { role?: UserRole; disabled?: boolean }, number, RegExp | undefined]>([
    ['admin promotes an agent to admin', 'admin', agent, { role: 'admin' }, 1, undefined],
    ['admin makes an owner', 'admin', agent, { role: 'owner' }, 1, /only an owner/],
    ['admin demotes an owner', 'admin', owner, { role: 'agent' }, 2, /only an owner/],
    ['admin disables an owner', 'admin', owner, { disabled: true }, 2, /only an owner/],
    ['owner demotes the last owner', 'owner', owner, { role: 'admin' }, 1, /last owner/],
    ['owner disables the last owner', 'owner', owner, { disabled: true }, 1, /last owner/],
    ['owner demotes one of two owners', 'owner', owner, { role: 'admin' }, 2, undefined],
    ['owner makes an owner', 'owner', agent, { role: 'owner' }, 1, undefined],
    ['disabled owner demoted while another owner is active', 'owner', { role: 'owner', disabled: true }, { role: 'agent' }, 1, undefined],
  ])('%s', (_name, actor, target, change, owners, problem) => {
    const found = userChangeProblem(actor, target, change, owners);
    if (problem === undefined) expect(found).toBeUndefined();
    else {
      expect(found?.message).toMatch(problem);
      expect(found?.code).toBe(problem.source === 'last owner' ? 'last_owner' : 'owner_only');
    }
  });
});
