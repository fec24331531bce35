import { afterEach, describe, expect, it } from 'vitest';
import { passwordRule } from '../../../../src/core/users.js';
import { setLocale } from '../../i18n/i18n.js';
import { passwordRejectedReason } from './password-rule.js';

afterEach(() => setLocale('en'));

describe('password_rejected in the user\'s language', () => {
  it('tells each of the server\'s rules in Russian, with its numbers', () => {
    setLocale('ru');
    const short = passwordRule('short1!', 'ann@example.com')!;
    expect(passwordRejectedReason({ message: 'x', details: { rule: short } })).toBe('он слишком короткий: нужно не меньше 12 символов (сейчас 7)');
    for (const password of ['aaaaaaaaaaaaaa', '123456789012345', 'Password123456!', 'annsmith-2031!x']) {
      const rule = passwordRule(password, 'annsmith@example.com')!;
      expect(passwordRejectedReason({ message: 'x', details: { rule } })).toMatch(/^(он|в нём|это) [а-яё]/);
    }
  });

  it('falls back to the server\'s words for a rule it does not know', () => {
    expect(passwordRejectedReason({ message: 'The password was not accepted: new rule.', details: { rule: { kind: 'new_rule' }, problem: 'new rule' } })).toBe('new rule');
    expect(passwordRejectedReason({ message: 'plain' })).toBe('plain');
  });
});
