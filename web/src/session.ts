// The signed-in operator as a store (useSyncExternalStore): loaded from GET /auth/me at start,
// set by sign-in, cleared by sign-out; the user's locale drives the UI language.

import { useSyncExternalStore } from 'react';
import { setCsrfToken } from './api/client.js';
import { fetchMe, signOut as apiSignOut, updateMe, type SessionInfo } from './api/auth.js';
import { setLocale, type Locale } from './i18n/i18n.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'error'; message: string }
  | ({ status: 'signed-in' } & SessionInfo);

let state: SessionState = { status: 'loading' };
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  for (const l of listeners) l();
}

export function getSession(): SessionState {
  return state;
}

export function useSession(): SessionState {
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, getSession, getSession);
}

export function startSession(info: SessionInfo): void {
  setCsrfToken(info.csrfToken);
  setLocale(info.user.locale);
  set({ status: 'signed-in', ...info });
}

export async function loadSession(): Promise<void> {
  const res = await fetchMe();
  if (res.ok) startSession(res.data);
  else if (res.status === 401 || res.status === 404) set({ status: 'signed-out' });
  else set({ status: 'error', message: res.error.message });
}

export async function signOut(): Promise<void> {
  await apiSignOut();
  setCsrfToken(null);
  set({ status: 'signed-out' });
}

/** Switches the language at once, then saves it on the user (kept if the save fails). */
export async function changeLocale(locale: Locale): Promise<void> {
  setLocale(locale);
  if (state.status !== 'signed-in') return;
  set({ ...state, user: { ...state.user, locale } });
  await updateMe({ locale });
}
