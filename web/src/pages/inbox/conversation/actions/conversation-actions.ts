// The team actions on one conversation over the REST API (assign, transfer, state, snooze, priority),
// their refusals in plain words, the snooze presets, and a tiny command bus so keyboard shortcuts
// (shell/shortcuts) reach the open conversation's header.

import { api, apiError, type ApiError } from '../../../../api/client.js';
import { t } from '../../../../i18n/i18n.js';
import type { Conversation } from '../conversation-store.js';

export type Priority = 'none' | 'low' | 'medium' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['none', 'low', 'medium', 'high', 'urgent'];

export type Result = { ok: true; conversation: Conversation } | { ok: false; error: ApiError; text: string };

/** What a refusal means for the operator, in the UI's language (the server's message is English). */
export function refusalText(e: ApiError): string {
  const reason = typeof e.details?.['reason'] === 'string' ? (e.details['reason'] as string) : null;
  if (e.code === 'assignment_forbidden' && reason && ['agent_assigns_only_self', 'taken_by_other', 'other_team'].includes(reason)) {
    return t(`team.error.${reason}`);
  }
  const assignee = e.details?.['assignee'] as { name?: string | null } | undefined;
  if (e.code === 'conversation_assigned_to_other') return t('team.error.conversation_assigned_to_other', { name: assignee?.name ?? t('team.someoneElse') });
  const known = ['assignment_forbidden', 'assignee_invalid', 'team_not_found', 'conversation_not_found', 'snooze_time_required', 'forbidden', 'csrf_failed', 'network_error', 'unauthorized'];
  if (known.includes(e.code)) return t(`team.error.${e.code}`);
  return t('team.error.generic', { message: e.message });
}

async function done(res: { data?: unknown; error?: unknown }): Promise<Result> {
  if (res.data) return { ok: true, conversation: res.data as Conversation };
  const error = apiError(res.error);
  return { ok: false, error, text: refusalText(error) };
}

export async function assignTo(id: string, body: { assigneeId?: string | null; teamId?: string | null; note?: string }): Promise<Result> {
  try {
    return await done(await api.POST('/conversations/{id}/assignment', { params: { path: { id } }, body }));
  } catch (err) {
    return done({ error: err });
  }
}

export type StatusPatch = { state?: Conversation['state']; snoozedUntil?: number | null; untilReply?: boolean; priority?: Priority };

export async function patchStatus(id: string, body: StatusPatch): Promise<Result> {
  try {
    return await done(await api.PATCH('/conversations/{id}', { params: { path: { id } }, body }));
  } catch (err) {
    return done({ error: err });
  }
}

export type SnoozePreset = 'hour' | 'tomorrow' | 'nextWeek' | 'untilReply';
export const SNOOZE_PRESETS: readonly SnoozePreset[] = ['hour', 'tomorrow', 'nextWeek', 'untilReply'];

/** When a preset wakes the conversation, from `now` in the browser's time zone (untilReply: null). */
export function snoozeUntil(preset: SnoozePreset, now: number): number | null {
  const d = new Date(now);
  if (preset === 'hour') return now + 3_600_000;
  if (preset === 'untilReply') return null;
  if (preset === 'tomorrow') return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 9, 0, 0, 0).getTime();
  // Next week: the coming Monday, 9:00.
  const toMonday = ((8 - d.getDay()) % 7) || 7;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + toMonday, 9, 0, 0, 0).getTime();
}

/** Commands the shortcuts send to the open conversation's header. */
export type PaneCommand = 'resolve' | 'assignToMe' | 'snooze';
const commandListeners = new Set<(c: PaneCommand) => void>();

export function onPaneCommand(listener: (c: PaneCommand) => void): () => void {
  commandListeners.add(listener);
  return () => { commandListeners.delete(listener); };
}

export function sendPaneCommand(command: PaneCommand): boolean {
  for (const l of commandListeners) l(command);
  return commandListeners.size > 0;
}
