// Settings → Satisfaction (CSAT): GET/PUT /api/v1/csat/settings and the approved templates to pick
// from, through the typed client; the built-in questions and limits come from the one core table.

import { api } from '../../../api/client.js';
import type { paths } from '../../../api/schema.js';
import { attempt } from '../settings-api.js';
export { CSAT_LIMITS, DEFAULT_QUESTIONS } from '../../../../../src/core/csat.js';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
export type CsatSettings = Json<paths['/csat/settings']['get']['responses'][200]>;
export type TemplateItem = Json<paths['/templates']['get']['responses'][200]>['items'][number];

export const getCsatSettings = () => attempt(api.GET('/csat/settings'));
export const putCsatSettings = (body: CsatSettings) => attempt(api.PUT('/csat/settings', { body }));
export const approvedTemplates = () => attempt(api.GET('/templates', { params: { query: { status: 'APPROVED', limit: 100 } } }));
