// The Settings pages' calls through the typed client, each as ok/error, and the API's errors told in
// plain words (in the user's language) instead of codes.

import { api, apiError, type ApiError } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import type { Role } from '../../api/auth.js';
import { t } from '../../i18n/i18n.js';
import { passwordRejectedReason } from '../auth/password-rule.js';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
export type UserRow = Json<paths['/users']['get']['responses'][200]>['items'][number];
export type TeamRow = Json<paths['/teams']['get']['responses'][200]>['items'][number];
export type WorkspaceSettings = Json<paths['/workspace/settings']['get']['responses'][200]>;
export type AgentVisibility = WorkspaceSettings['agentVisibility'];
export const ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'agent'];

export type Outcome<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiError };

/** Awaits an openapi-fetch call; success is the HTTP status (a 204 has no data). */
export async function attempt<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Outcome<T>> {
  try {
    const res = await call;
    if (res.response.ok) return { ok: true, data: res.data as T };
    return { ok: false, status: res.response.status, error: apiError(res.error) };
  } catch (err) {
    return { ok: false, status: 0, error: apiError(err) };
  }
}

/** What went wrong, for a person: known codes in their words; others with the server's message. */
export function problemText(error: ApiError, context: 'user' | 'reset' | 'team' | 'profile' | 'other' = 'other'): string {
  switch (error.code) {
    case 'network_error': return t('settings.error.network');
    case 'user_exists': return t('settings.error.userExists');
    case 'team_name_taken': return t('settings.error.teamNameTaken');
    case 'team_not_found': return t('settings.error.teamGone');
    case 'user_not_found': return t('settings.error.userGone');
    case 'password_rejected': return t('settings.error.passwordRejected', { reason: passwordRejectedReason(error) });
    case 'last_owner': return t('settings.error.lastOwner');
    case 'cannot_disable_self': return t('settings.error.disableSelf');
    case 'owner_only': return context === 'reset' ? t('settings.error.resetOwner') : t('settings.error.ownerOnly');
    case 'current_password_wrong': return t('settings.error.currentPassword');
    case 'forbidden': return t('settings.error.forbidden');
    case 'validation_failed': return t('settings.error.invalid', { message: error.message });
    default: return t('settings.error.generic', { message: error.message });
  }
}

/** The full address of a link the API gives as a path (`/invite/<token>`). */
export function fullUrl(path: string): string {
  return new URL(path, window.location.origin).toString();
}

export const listUsers = () => attempt(api.GET('/users'));
export const inviteUser = (body: { name: string; email: string; role: Role }) => attempt(api.POST('/users', { body }));
export const patchUser = (id: string, body: { role?: Role; disabled?: boolean; name?: string }) => attempt(api.PATCH('/users/{id}', { params: { path: { id } }, body }));
export const resetLink = (id: string) => attempt(api.POST('/users/{id}/password-reset', { params: { path: { id } } }));
export const resetUserTotp = (id: string) => attempt(api.DELETE('/users/{id}/totp', { params: { path: { id } } }));

export const listTeams = () => attempt(api.GET('/teams'));
export const createTeam = (name: string) => attempt(api.POST('/teams', { body: { name } }));
export const renameTeam = (id: string, name: string) => attempt(api.PATCH('/teams/{id}', { params: { path: { id } }, body: { name } }));
export const deleteTeam = (id: string) => attempt(api.DELETE('/teams/{id}', { params: { path: { id } } }));
export const setMembers = (id: string, userIds: string[]) => attempt(api.PUT('/teams/{id}/members', { params: { path: { id } }, body: { userIds } }));

export const getSettings = () => attempt(api.GET('/workspace/settings'));
export const patchSettings = (body: { agentVisibility: AgentVisibility }) => attempt(api.PATCH('/workspace/settings', { body }));

export const getMe = () => attempt(api.GET('/auth/me'));
export const patchMe = (body: { name?: string; locale?: 'en' | 'ru'; languages?: string[]; password?: string; currentPassword?: string }) => attempt(api.PATCH('/auth/me', { body }));
