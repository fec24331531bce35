// The demo workspace `npm start` seeds: one workspace, the sandbox's demo number as its inbox, and
// an API key. The key is shown only when created, so it is also kept in a file beside the data
// to be printed again on later starts.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppDeps } from '../http/deps.js';
import { createApiKey, findApiKey } from '../store/queries/api-keys.js';
import { createInbox, findInboxByPhoneNumberId } from '../store/queries/inboxes.js';
import { createWorkspace } from '../store/queries/workspaces.js';

export interface DemoNumber {
  phoneNumberId: string; wabaId: string; displayPhoneNumber: string; verifiedName: string;
  accessToken: string; appSecret: string;
}

export interface Demo { workspaceId: string; inboxId: string; apiKey: string }

/** Creates the demo workspace once; later starts reuse it and the key kept in `keyFile`. */
export async function ensureDemo(deps: AppDeps, number: DemoNumber, keyFile: string): Promise<Demo> {
  const { db } = deps.database;
  const existing = await findInboxByPhoneNumberId(db, number.phoneNumberId);
  if (existing) {
    const kept = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
    const live = kept ? await findApiKey(db, kept) : undefined;
    const apiKey = live?.workspaceId === existing.workspaceId ? kept : await newKey(deps, existing.workspaceId, keyFile);
    return { workspaceId: existing.workspaceId, inboxId: existing.id, apiKey };
  }
  const now = deps.now();
  const workspace = await createWorkspace(db, { name: 'Demo', now });
  const inbox = await createInbox(db, workspace.id, { ...number, status: 'CONNECTED', messagingLimit: 250, throughputMps: 80, now }, deps.secretKey);
  return { workspaceId: workspace.id, inboxId: inbox.id, apiKey: await newKey(deps, workspace.id, keyFile) };
}

async function newKey(deps: AppDeps, workspaceId: string, keyFile: string): Promise<string> {
  const { key } = await createApiKey(deps.database.db, workspaceId, { name: 'demo', now: deps.now() });
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  return key;
}
