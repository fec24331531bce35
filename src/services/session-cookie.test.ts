import { describe, expect, it } from 'vitest';
import { isSecureRequest, sessionCookieOptions } from './sessions.js';

describe('the session cookie', () => {
  it('is Secure over https, and behind a TLS proxy when the public URL is https', () => {
    expect(isSecureRequest({ protocol: 'https' }, 'http://127.0.0.1:3000')).toBe(true);
    expect(isSecureRequest({ protocol: 'http' }, 'https://inbox.example.com')).toBe(true);
    expect(isSecureRequest({ protocol: 'http' }, 'http://127.0.0.1:3000')).toBe(false);
  });
  it('is httpOnly, SameSite=Lax, for the whole site, until the session expires', () => {
    expect(sessionCookieOptions(true, 61_000, 1_000)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: true, maxAge: 60 });
  });
});
