// Settings → Response times: GET/PUT /api/v1/sla through the typed client.

import { api } from '../../../api/client.js';
import type { paths } from '../../../api/schema.js';
import { attempt } from '../settings-api.js';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
export type SlaSettings = Json<paths['/sla']['get']['responses'][200]>;
export type SlaPolicy = SlaSettings['default'];

export const getSla = () => attempt(api.GET('/sla'));
export const putSla = (body: SlaSettings) => attempt(api.PUT('/sla', { body }));
