// Sign-in, session and account-link calls (S1's /api/v1/auth routes). Kept apart so the rest of
// the app sees one typed shape; the CSRF header comes from the same token as the typed client's.

import { apiError, getCsrfToken, type ApiError } from './client.js';

export type Role = 'owner' | 'admin' | 'supervisor' | 'agent';
export interface User { id: string; workspaceId: string; email: string; name: string; role: Role; locale: 'en' | 'ru' }
export interface SessionInfo { user: User; workspace: { id: string; name: string }; csrfToken: string }

export type Result<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiError };

export async function call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = getCsrfToken();
  if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (err) {
    return { ok: false, status: 0, error: apiError(err) };
  }
  const json: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (res.ok) return { ok: true, data: json as T };
  return { ok: false, status: res.status, error: apiError(json) };
}

export const signIn = (body: { email: string; password: string; workspaceId?: string }) => call<SessionInfo>('POST', '/auth/sign-in', body);
export const signOut = () => call<unknown>('POST', '/auth/sign-out');
export const fetchMe = () => call<SessionInfo>('GET', '/auth/me');
export const updateMe = (body: { name?: string; locale?: 'en' | 'ru' }) => call<SessionInfo | { user: User }>('PATCH', '/auth/me', body);
