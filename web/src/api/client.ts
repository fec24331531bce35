// The web app's only way to the REST API: openapi-fetch typed by schema.d.ts (generated from
// Parley's OpenAPI document). Sends the session cookie, and X-CSRF-Token on every write.

import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

let csrfToken: string | null = null;

/** Set from sign-in and GET /auth/me (`csrfToken`); cleared on sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !SAFE_METHODS.has(request.method.toUpperCase())) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin' });
api.use(csrf);

/** Parley's error body: `{ error: { code, message, details? } }`. */
export interface ApiError { code: string; message: string; details?: Record<string, unknown> }

/** The error of a failed call, whatever its shape (a network failure becomes `network_error`). */
export function apiError(error: unknown): ApiError {
  const e = (error as { error?: Partial<ApiError> } | undefined)?.error;
  if (e && typeof e.code === 'string') return { code: e.code, message: e.message ?? e.code, ...(e.details ? { details: e.details } : {}) };
  return { code: 'network_error', message: String(error) };
}

export type Schemas = components['schemas'];
