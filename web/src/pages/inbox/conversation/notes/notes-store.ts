// A conversation's private notes: loaded when it opens, refreshed on a live 'note.created' for it,
// and the viewer's mentions in it marked seen (the Mentions folder clears) whenever they are looking.

import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../../../../api/client.js';
import type { paths } from '../../../../api/schema.js';
import { subscribeLive, type LiveMessage } from '../../../../live/socket.js';
import { countsSoon } from '../../list-store.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Note = Json<paths['/conversations/{id}/notes']['get']['responses'][200]>['items'][number];

const notesBy = new Map<string, Note[]>();
const listeners = new Set<() => void>();
const EMPTY: Note[] = [];

function changed(): void {
  for (const l of listeners) l();
}

function put(conversationId: string, notes: Note[]): void {
  notesBy.set(conversationId, notes);
  changed();
}

/** Adds (or replaces) one note, e.g. the one just written, without waiting for the reload. */
export function addNoteLocally(note: Note): void {
  const list = (notesBy.get(note.conversationId) ?? []).filter((n) => n.id !== note.id);
  put(note.conversationId, [...list, note].sort((a, b) => a.createdAt - b.createdAt));
}

/**
 * The server's notes, joined with those already here: a load that started before a note was written
 * answers without it, and must not take it away (notes are never deleted).
 */
async function load(conversationId: string): Promise<void> {
  const res = await api.GET('/conversations/{id}/notes', { params: { path: { id: conversationId } } });
  if (!res.data) return;
  const byId = new Map((notesBy.get(conversationId) ?? []).map((n) => [n.id, n]));
  for (const note of res.data.items) byId.set(note.id, note);
  put(conversationId, [...byId.values()].sort((a, b) => a.createdAt - b.createdAt));
}

/** Opening a conversation sees my mentions in it (a note arriving while it is open stays in Mentions until the next opening). */
async function openAndSee(conversationId: string): Promise<void> {
  await load(conversationId);
  const seen = await api.POST('/conversations/{id}/mentions/seen', { params: { path: { id: conversationId } } });
  if (seen.response.ok) countsSoon();
}

/** Writes a note; the live event brings it to everyone else. */
export async function writeNote(conversationId: string, body: string): Promise<{ ok: true; note: Note } | { ok: false; message: string }> {
  const res = await api.POST('/conversations/{id}/notes', { params: { path: { id: conversationId } }, body: { body } });
  if (res.data) {
    addNoteLocally(res.data);
    return { ok: true, note: res.data };
  }
  const error = (res.error as { error?: { message?: string } } | undefined)?.error;
  return { ok: false, message: error?.message ?? String(res.response.status) };
}

/** The notes of `conversationId` (oldest first), kept current while the component is mounted. */
export function useNotes(conversationId: string | undefined): Note[] {
  useEffect(() => {
    if (!conversationId) return;
    void openAndSee(conversationId);
    return subscribeLive((event: LiveMessage) => {
      const kind = event.kind as string;
      if (kind === 'note.created' && (event as { conversationId?: string }).conversationId === conversationId) void load(conversationId);
      if (kind === 'resync') void load(conversationId);
    });
  }, [conversationId]);
  return useSyncExternalStore(
    (l) => { listeners.add(l); return () => { listeners.delete(l); }; },
    () => (conversationId ? notesBy.get(conversationId) ?? EMPTY : EMPTY),
  );
}

// The composer's mode per conversation, so the pane (its N key) can switch it: setComposerMode(id, 'note').
export type ComposerMode = 'reply' | 'note';
const modes = new Map<string, ComposerMode>();

export function setComposerMode(conversationId: string, mode: ComposerMode): void {
  modes.set(conversationId, mode);
  changed();
}

export function toggleComposerMode(conversationId: string): void {
  setComposerMode(conversationId, modes.get(conversationId) === 'note' ? 'reply' : 'note');
}

export function useComposerMode(conversationId: string): ComposerMode {
  return useSyncExternalStore(
    (l) => { listeners.add(l); return () => { listeners.delete(l); }; },
    () => modes.get(conversationId) ?? 'reply',
  );
}
