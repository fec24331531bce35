import { describe, expect, it } from 'vitest';
import { emailProblem, isUserRole, normalizeEmail, passwordProblem } from './users.js';

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
