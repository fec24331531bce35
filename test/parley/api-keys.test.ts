// DELETE /api/v1/api-keys/{id} over real HTTP: a key may revoke itself or another, but never the
// workspace's last live key (409 last_api_key), so a workspace cannot lock itself out.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { httpClient, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

it("refuses to revoke the workspace's last live key, including by itself", async () => {
  const keys = (await h.api.get('/api/v1/api-keys')).body.items as Array<{ id: string; revokedAt: number | null }>;
  const demoKey = keys.find((k) => k.revokedAt === null)!;
  const last = await h.api.delete(`/api/v1/api-keys/${demoKey.id}`);
  expect([last.status, last.body.error.code]).toEqual([409, 'last_api_key']);
  expect(last.body.error.message).toMatch(/create another key/);

  const created = await h.api.post('/api/v1/api-keys', { name: 'replacement' });
  const replacement = httpClient(h.parley.url, { authorization: `Bearer ${created.body.key}` });
  expect((await h.api.delete(`/api/v1/api-keys/${demoKey.id}`)).status).toBe(204); // the demo key revokes itself
  expect((await h.api.get('/api/v1/inboxes')).status).toBe(401);
  const alone = await replacement.delete(`/api/v1/api-keys/${created.body.apiKey.id}`);
  expect([alone.status, alone.body.error.code]).toEqual([409, 'last_api_key']);
  expect((await replacement.get('/api/v1/inboxes')).status).toBe(200);
});
