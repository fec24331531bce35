// Small builders for store tests: a workspace with an inbox, contacts and conversations.

import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/store/db.js';
import { createWorkspace } from '../../src/store/queries/workspaces.js';
import { createInbox, type InboxRecord } from '../../src/store/queries/inboxes.js';
import { upsertContact, type ContactRecord } from '../../src/store/queries/contacts.js';
import { ensureConversation, type ConversationRecord } from '../../src/store/queries/conversations.js';

export const TEST_KEY = randomBytes(32);

let counter = 0;
const unique = (): string => `${process.pid}${Date.now() % 100000}${++counter}`;

export interface Tenant {
  workspaceId: string;
  inbox: InboxRecord;
}

export async function createTenant(db: Db, name = 'Acme'): Promise<Tenant> {
  const workspace = await createWorkspace(db, { name, timezone: 'Europe/Madrid' });
  const inbox = await createInbox(
    db,
    workspace.id,
    { phoneNumberId: `pn${unique()}`, wabaId: `waba${unique()}`, displayPhoneNumber: '+1 555 0100', accessToken: 'token', appSecret: 'secret' },
    TEST_KEY,
  );
  return { workspaceId: workspace.id, inbox };
}

export async function createThread(db: Db, tenant: Tenant, waId = `34600${unique()}`): Promise<{ contact: ContactRecord; conversation: ConversationRecord }> {
  const contact = await upsertContact(db, tenant.workspaceId, { waId, e164: `+${waId}`, name: 'Ana' });
  const conversation = await ensureConversation(db, tenant.workspaceId, { inboxId: tenant.inbox.id, contactId: contact.id });
  return { contact, conversation };
}
