// Which inboxes a stored webhook event may touch: those whose app secret signed it. Meta signs
// with the app secret of the app that owns the numbers, so an event signed with one workspace's
// secret can never write to another workspace's inboxes, whatever ids it names.

import { secretFingerprint } from '../cloudapi/signature.js';
import type { AppDeps } from '../http/deps.js';
import { findInboxByPhoneNumberId, findInboxesByWabaId, getInboxCredentials, type InboxRecord } from '../store/queries/inboxes.js';

export interface WebhookScope {
  /** The inbox of a phone number id, if this event may touch it. */
  inboxByNumber(phoneNumberId: string | null): Promise<InboxRecord | undefined>;
  /** The inboxes of a WABA this event may touch. */
  inboxesOfWaba(wabaId: string | null): Promise<InboxRecord[]>;
}

/**
 * `signerHash` null: an event stored before signers were recorded — trusted as before. Inboxes and
 * verdicts are remembered for the scope's life (a batch), so build a new scope per batch.
 */
export function webhookScope(deps: Pick<AppDeps, 'database' | 'secretKey' | 'logger'>, signerHash: string | null): WebhookScope {
  const { db } = deps.database;
  const verdicts = new Map<string, Promise<boolean>>();
  const signedBy = (inbox: InboxRecord): Promise<boolean> => {
    if (signerHash === null) return Promise.resolve(true);
    let verdict = verdicts.get(inbox.id);
    if (!verdict) {
      verdict = getInboxCredentials(db, inbox.workspaceId, inbox.id, deps.secretKey)
        .then((c) => c?.appSecret != null && secretFingerprint(c.appSecret) === signerHash, () => false);
      verdicts.set(inbox.id, verdict);
    }
    return verdict;
  };
  const refuse = (inbox: InboxRecord): void => {
    deps.logger.warn({ inbox: inbox.id }, "webhook signed with another app's secret names this inbox; ignored");
  };
  // Looked up once per scope: a worker builds one scope per signer and batch of events.
  const byNumber = new Map<string, Promise<InboxRecord | undefined>>();
  const byWaba = new Map<string, Promise<InboxRecord[]>>();
  return {
    async inboxByNumber(phoneNumberId) {
      if (!phoneNumberId) return undefined;
      let found = byNumber.get(phoneNumberId);
      if (!found) byNumber.set(phoneNumberId, found = findInboxByPhoneNumberId(db, phoneNumberId));
      const inbox = await found;
      if (!inbox) return undefined;
      if (await signedBy(inbox)) return inbox;
      refuse(inbox);
      return undefined;
    },
    async inboxesOfWaba(wabaId) {
      if (!wabaId) return [];
      let found = byWaba.get(wabaId);
      if (!found) byWaba.set(wabaId, found = findInboxesByWabaId(db, wabaId));
      const trusted: InboxRecord[] = [];
      for (const inbox of await found) {
        if (await signedBy(inbox)) trusted.push(inbox); else refuse(inbox);
      }
      return trusted;
    },
  };
}
