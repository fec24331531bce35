import { describe, expect, it } from 'vitest';
import { AppError, ERRORS, isAppError, isErrorCode, statusOf } from './errors.js';

describe('errors', () => {
  it.each([
    ['validation_failed', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['inbox_not_found', 404],
    ['contact_not_found', 404],
    ['conversation_not_found', 404],
    ['message_not_found', 404],
    ['media_not_found', 404],
    ['conflict', 409],
    ['payload_too_large', 413],
    ['unsupported_media_type', 415],
    ['policy_denied', 422],
    ['rate_limited', 429],
    ['internal_error', 500],
    ['upstream_error', 502],
    ['database_unavailable', 503],
  ] as const)('%s → %i', (code, status) => {
    expect(statusOf(code)).toBe(status);
  });

  it('uses snake_case codes only', () => {
    for (const code of Object.keys(ERRORS)) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('carries its code, default or given message, and details', () => {
    const plain = new AppError('inbox_not_found');
    expect(plain.message).toBe(ERRORS.inbox_not_found.message);
    const denied = new AppError('policy_denied', 'Outside the window', { reason: 'outside_service_window' });
    expect(denied).toMatchObject({ code: 'policy_denied', message: 'Outside the window', details: { reason: 'outside_service_window' } });
    expect(isAppError(denied)).toBe(true);
    expect(isAppError(new Error('x'))).toBe(false);
    expect(isErrorCode('conflict')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
