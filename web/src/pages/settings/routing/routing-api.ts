// Work distribution in Settings: a team's routing (PUT /teams/{id}/routing) and the workspace's default
// team and auto-resolve hours (PATCH /workspace/settings), through the typed client; errors in words.

import { api, type ApiError } from '../../../api/client.js';
import type { paths } from '../../../api/schema.js';
import { t } from '../../../i18n/i18n.js';
import { attempt, problemText } from '../settings-api.js';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
export type TeamRouting = Json<paths['/teams/{id}/routing']['get']['responses'][200]>;
export type RoutingMode = TeamRouting['mode'];
export type WorkspaceSettings = Json<paths['/workspace/settings']['get']['responses'][200]>;
type TeamRoutingBody = NonNullable<paths['/teams/{id}/routing']['put']['requestBody']>['content']['application/json'];
type SettingsPatch = NonNullable<paths['/workspace/settings']['patch']['requestBody']>['content']['application/json'];

export const ROUTING_MODES: readonly RoutingMode[] = ['manual', 'round_robin', 'capacity'];
export const MAX_OPEN = { min: 1, max: 200 } as const;
export const AUTO_RESOLVE_HOURS = { min: 1, max: 720 } as const;

export const putTeamRouting = (id: string, body: TeamRoutingBody) => attempt(api.PUT('/teams/{id}/routing', { params: { path: { id } }, body }));
export const patchWorkspace = (body: SettingsPatch) => attempt(api.PATCH('/workspace/settings', { body }));

/** The API's routing errors in the user's words; others as the Settings pages tell them. */
export function routingProblemText(error: ApiError): string {
  if (error.code === 'routing_invalid') {
    switch (error.details?.['field']) {
      case 'maxOpenPerAgent': return t('routing.error.maxOpen');
      case 'autoResolveAfterHours': return t('routing.error.hours');
      case 'mode': return t('routing.error.mode');
      default: break;
    }
  }
  if (error.code === 'team_not_found') return t('routing.error.teamGone');
  return problemText(error, 'team');
}

/** A whole number within [min, max] from a text field, '' → null, anything else → undefined (not valid). */
export function wholeNumber(text: string, range: { min: number; max: number }): number | null | undefined {
  const v = text.trim();
  if (v === '') return null;
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= range.min && n <= range.max ? n : undefined;
}

/** "Chats go to online members in turn, at most 5 open each" — a team's routing in one line. */
export function routingSummary(routing: TeamRouting): string {
  if (routing.mode === 'manual') return t('routing.summary.manual');
  const base = routing.maxOpenPerAgent === null ? t(`routing.summary.${routing.mode}`) : t(`routing.summary.${routing.mode}.capped`, { max: routing.maxOpenPerAgent });
  return routing.matchLanguage ? t('routing.summary.withLanguage', { summary: base }) : base;
}
