// The per-address limit on failed sign-ins (services/sign-in.ts SignInFailures): 20 failures in a
// minute block the address until that minute ends; addresses are counted apart.

import { describe, expect, it } from 'vitest';
import { SignInFailures } from '../../src/services/sign-in.js';

describe('failed sign-ins per address', () => {
  it('blocks the 21st attempt within a minute, until the window ends', () => {
    const failures = new SignInFailures();
    for (let i = 0; i < 19; i++) failures.fail('10.0.0.1', 1000 + i);
    expect(failures.blockedUntil('10.0.0.1', 2000)).toBeUndefined();
    failures.fail('10.0.0.1', 2000);
    expect(failures.blockedUntil('10.0.0.1', 2001)).toBe(61_000);
    expect(failures.blockedUntil('10.0.0.2', 2001)).toBeUndefined();
    expect(failures.blockedUntil('10.0.0.1', 60_999)).toBe(61_000);
    expect(failures.blockedUntil('10.0.0.1', 61_000)).toBeUndefined();
    failures.fail('10.0.0.1', 61_000);
    expect(failures.blockedUntil('10.0.0.1', 61_001)).toBeUndefined();
  });

  it('honours a smaller limit', () => {
    const failures = new SignInFailures(2, 1000);
    failures.fail('::1', 0);
    failures.fail('::1', 10);
    expect(failures.blockedUntil('::1', 20)).toBe(1000);
  });
});
