// Templates as the pane needs them: the approved ones of an inbox (the picker) and one by name and
// language (to render a sent template's body), each fetched once per page load.

import { api } from '../../../api/client.js';
import type { paths } from '../../../api/schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Template = Json<paths['/templates']['get']['responses'][200]>['items'][number];

const approved = new Map<string, Promise<Template[]>>();
const byName = new Map<string, Promise<Template | null>>();

/** Every APPROVED template of the inbox (up to 200 pages of 200). */
export function approvedTemplates(inboxId: string): Promise<Template[]> {
  let p = approved.get(inboxId);
  if (!p) {
    p = (async () => {
      const out: Template[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 200; page++) {
        const res = await api.GET('/templates', { params: { query: { inboxId, status: 'APPROVED', limit: 200, ...(cursor ? { cursor } : {}) } } });
        if (!res.data) throw new Error(res.error ? JSON.stringify(res.error) : 'templates not loaded');
        out.push(...res.data.items);
        if (!res.data.nextCursor) break;
        cursor = res.data.nextCursor;
      }
      return out;
    })();
    p.catch(() => approved.delete(inboxId));
    approved.set(inboxId, p);
  }
  return p;
}

export function templateByName(name: string, language: string | null): Promise<Template | null> {
  const key = `${name}\u0000${language ?? ''}`;
  let p = byName.get(key);
  if (!p) {
    p = api.GET('/templates', { params: { query: { name, ...(language ? { language } : {}), limit: 1 } } })
      .then((res) => res.data?.items[0] ?? null, () => null);
    byName.set(key, p);
  }
  return p;
}
