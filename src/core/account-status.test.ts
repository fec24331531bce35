import { describe, expect, it } from 'vitest';
import { statusAfterAccountUpdate } from './account-status.js';

describe('statusAfterAccountUpdate', () => {
  it.each([
    ['DISABLED_UPDATE', 'DISABLE', 'BANNED'],
    ['DISABLED_UPDATE', 'REINSTATE', 'CONNECTED'],
    ['DISABLED_UPDATE', 'SCHEDULE_FOR_DISABLE', null],
    ['DISABLED_UPDATE', null, null],
    ['ACCOUNT_RESTRICTION', 'DISABLE', null],
    ['ACCOUNT_VIOLATION', null, null],
  ] as const)('%s with ban state %s → %s', (event, banState, expected) => {
    expect(statusAfterAccountUpdate(event, banState)).toBe(expected);
  });
});
