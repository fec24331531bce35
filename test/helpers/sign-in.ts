// Signing an operator in for a test: creates a user of the given role through POST /api/v1/users
// with the harness's API key, signs in over HTTP and gives a client that sends the cookie and CSRF token.

import { randomBytes } from 'node:crypto';
import type { UserRole } from '../../src/core/users.js';
import { httpClient, type Harness, type HttpClient, type Reply } from '../parley/harness.js';

export interface SignedInOperator {
  user: { id: string; workspaceId: string; email: string; name: string; role: UserRole; locale: 'en' | 'ru' };
  /** `parley_session=<token>`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  /** Parley's API with this operator's cookie and CSRF token on every request. */
  client: HttpClient;
  email: string;
  password: string;
}

/** A password that passes Parley's rules. */
export function testPassword(): string {
  return `Pw-${randomBytes(12).toString('base64url')}`;
}

/** The `name=value` of a Set-Cookie header for `name`, if the reply has one. */
export function cookieFrom(reply: Reply, name = 'parley_session'): string | undefined {
  const raw = reply.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)];
  return all.map((c) => c.split(';')[0]!.trim()).find((c) => c.startsWith(`${name}=`));
}

/** A client sending this cookie (and, when given, the CSRF token). */
export function cookieClient(h: Harness, cookie: string, csrfToken?: string): HttpClient {
  return httpClient(h.parley.url, { cookie, ...(csrfToken !== undefined ? { 'x-csrf-token': csrfToken } : {}) });
}

export async function signInAs(h: Harness, role: UserRole, opts: { name?: string; email?: string; api?: HttpClient } = {}): Promise<SignedInOperator> {
  const email = opts.email ?? `${role}-${randomBytes(5).toString('hex')}@example.test`;
  const password = testPassword();
  const created = await (opts.api ?? h.api).post('/api/v1/users', { email, name: opts.name ?? `Test ${role}`, role, password });
  if (created.status !== 201) throw new Error(`signInAs: creating the ${role} failed: ${created.status} ${JSON.stringify(created.body)}`);
  const res = await h.raw.post('/api/v1/auth/sign-in', { email, password });
  if (res.status !== 200) throw new Error(`signInAs: sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = cookieFrom(res);
  if (!cookie) throw new Error('signInAs: sign-in set no parley_session cookie');
  return { user: res.body.user, cookie, csrfToken: res.body.csrfToken, client: cookieClient(h, cookie, res.body.csrfToken), email, password };
}
