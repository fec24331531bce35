// Canned replies in the web app: calls through the typed client, the core's parser/renderer (the very
// file the server validates with), and problems in the user's words.

import { api, type ApiError } from '../../../api/client.js';
import { attempt } from '../settings-api.js';

export type { Outcome } from '../settings-api.js';
import type { paths } from '../../../api/schema.js';
import { t } from '../../../i18n/i18n.js';
import { parseCannedText, renderCannedParts, type CannedProblem, type CannedValues } from '../../../../../src/core/canned-replies.js';

export { parseCannedText, renderCannedParts, rankCannedReplies, renderCannedText } from '../../../../../src/core/canned-replies.js';
export type { CannedValues } from '../../../../../src/core/canned-replies.js';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
export type CannedReply = Json<paths['/canned-replies']['get']['responses'][200]>['items'][number];
export type CannedTeam = Json<paths['/teams']['get']['responses'][200]>['items'][number];
export interface CannedDraft { shortcut: string; title: string; body: string; teamId: string | null }

export const listCanned = (q?: string) => attempt(api.GET('/canned-replies', { params: { query: q ? { q } : {} } }));
export const createCanned = (body: CannedDraft) => attempt(api.POST('/canned-replies', { body }));
export const updateCanned = (id: string, body: CannedDraft) => attempt(api.PATCH('/canned-replies/{id}', { params: { path: { id } }, body }));
export const deleteCanned = (id: string) => attempt(api.DELETE('/canned-replies/{id}', { params: { path: { id } } }));
export const listCannedTeams = () => attempt(api.GET('/teams'));
export const readContact = (id: string) => attempt(api.GET('/contacts/{id}', { params: { path: { id } } }));

/** The sample contact of the Settings preview (names in the user's language). */
export function sampleValues(agentName: string): CannedValues {
  return {
    contact: { name: t('canned.sample.name'), phone: '+44 7400 123456', attributes: { city: t('canned.sample.city'), order: '1042' } },
    agent: { name: agentName },
    prompts: {},
  };
}

export function problemOfText(problem: CannedProblem): string {
  if (problem.kind === 'unknown_variable') {
    return t('canned.problem.unknown_variable', { name: problem.name, allowed: problem.allowed.map((a) => `{{${a}}}`).join(', ') });
  }
  return t(`canned.problem.${problem.kind}`, { at: problem.at + 1 });
}

/** The preview of `body`: prompts shown as [Question]; an invalid text as it is. */
export function previewOf(body: string, values: CannedValues): string {
  const parsed = parseCannedText(body);
  if (!parsed.ok) return body;
  const prompts = Object.fromEntries(parsed.prompts.map((p) => [p, values.prompts?.[p] || `[${p}]`]));
  return renderCannedParts(parsed.parts, { ...values, prompts });
}

export function cannedErrorText(error: ApiError): string {
  switch (error.code) {
    case 'network_error': return t('canned.error.network');
    case 'canned_reply_shortcut_taken': return t('canned.error.shortcutTaken');
    case 'canned_reply_not_found': return t('canned.error.notFound');
    case 'team_not_found': return t('canned.error.teamGone');
    case 'forbidden': return t('canned.error.forbidden');
    case 'canned_reply_template_invalid': {
      const d = error.details as CannedProblem | undefined;
      return d && typeof d.kind === 'string' ? problemOfText(d) : t('canned.error.generic', { message: error.message });
    }
    case 'validation_failed':
      if (error.details?.['field'] === 'shortcut') return t('canned.error.shortcutInvalid');
      return t('canned.error.generic', { message: error.message });
    default: return t('canned.error.generic', { message: error.message });
  }
}
