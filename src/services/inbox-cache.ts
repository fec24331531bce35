// Inboxes with their decrypted access token, cached briefly: the sender needs them for every
// message and they change rarely (a changed token is picked up within the TTL).

import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { getInbox, getInboxCredentials, type InboxRecord } from '../store/queries/inboxes.js';

export interface InboxWithToken extends InboxRecord {
  accessToken: string | undefined;
}

const TTL_MS = 10_000;

export class InboxCache {
  private readonly entries = new Map<string, { at: number; inbox: InboxWithToken }>();

  constructor(private readonly deps: Pick<AppDeps, 'database' | 'secretKey' | 'now'>) {}

  async get(workspaceId: string, inboxId: string): Promise<InboxWithToken> {
    const key = `${workspaceId}/${inboxId}`;
    const hit = this.entries.get(key);
    const now = this.deps.now();
    if (hit && now - hit.at < TTL_MS) return hit.inbox;
    const { db } = this.deps.database;
    const inbox = await getInbox(db, workspaceId, inboxId);
    if (!inbox) throw new AppError('inbox_not_found');
    const credentials = await getInboxCredentials(db, workspaceId, inboxId, this.deps.secretKey);
    const entry = { ...inbox, accessToken: credentials?.accessToken ?? undefined };
    this.entries.set(key, { at: now, inbox: entry });
    return entry;
  }

}
