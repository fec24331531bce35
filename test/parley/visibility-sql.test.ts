// The visibility rule's two forms agree: for every viewer, mode and folder, the conversation list
// (SQL from the core predicate) returns exactly the conversations canSeeConversation (in memory)
// allows — on SQLite and PostgreSQL. Also the list's sorts (waiting, priority) over pages.

import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { forEachDatabase } from '../helpers/databases.js';
import { createTenant, createThread } from '../store/fixtures.js';
import {
  canSeeConversation, folderPredicate, matchesPredicate, visibilityPredicate,
  type Folder, type Viewer, type VisibilityMode,
} from '../../src/core/visibility.js';
import { assignConversation, openOrExtendWindow, updateConversationStatus } from '../../src/store/queries/conversations.js';
import { conversationListQuery, listConversationViews, type ConversationView } from '../../src/store/queries/conversation-views.js';
import type { ConversationFilter } from '../../src/store/queries/conversations.js';
import type { Db } from '../../src/store/db.js';

const ASSIGNEES = [null, 'u1', 'u2'];
const TEAMS = [null, 't1', 't2', 't9'];
const VIEWERS: Array<Viewer | null> = [
  null,
  { userId: 'u1', role: 'agent', teamIds: ['t1'] },
  { userId: 'u1', role: 'agent', teamIds: ['t1', 't2'] },
  { userId: 'u2', role: 'agent', teamIds: [] },
  { userId: 'u3', role: 'agent', teamIds: ['t9'] },
  { userId: 'u3', role: 'supervisor', teamIds: [] },
];
const MODES: VisibilityMode[] = ['all', 'own_team_unassigned'];
const FOLDERS: Folder[] = ['all', 'mine', 'unassigned', 'teams'];

async function allPages(db: Db, ws: string, filter: ConversationFilter): Promise<ConversationView[]> {
  const items: ConversationView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 40; page++) {
    const result = await listConversationViews(db, ws, { ...filter, limit: 4, ...(cursor ? { cursor } : {}) });
    items.push(...result.items);
    if (!result.nextCursor) return items;
    cursor = result.nextCursor;
  }
  throw new Error('too many pages');
}

forEachDatabase('visibility: core rule and its SQL twin', (get) => {
  it('lists exactly what canSeeConversation allows, for every viewer, mode and folder', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const ws = tenant.workspaceId;
    const scopes: Array<{ id: string; assigneeId: string | null; teamId: string | null }> = [];
    for (const assigneeId of ASSIGNEES) {
      for (const teamId of TEAMS) {
        const { conversation } = await createThread(db, tenant);
        await assignConversation(db, ws, conversation.id, { assigneeId, teamId, byUserId: null, note: null, now: 1000 + scopes.length });
        scopes.push({ id: conversation.id, assigneeId, teamId });
      }
    }
    for (const viewer of VIEWERS) {
      for (const mode of MODES) {
        for (const folder of FOLDERS) {
          const expected = scopes
            .filter((c) => canSeeConversation(viewer, mode, c) && matchesPredicate(folderPredicate(folder, viewer), c))
            .map((c) => c.id).sort();
          const listed = await allPages(db, ws, { scopes: [visibilityPredicate(viewer, mode), folderPredicate(folder, viewer)] });
          expect(listed.map((c) => c.id).sort(), `${JSON.stringify(viewer)} ${mode} ${folder}`).toEqual(expected);
        }
      }
    }
    // The restricted agent of team t1 really is restricted: 12 conversations, 7 visible.
    const restricted = await allPages(db, ws, { scopes: [visibilityPredicate(VIEWERS[1]!, 'own_team_unassigned')] });
    expect(restricted).toHaveLength(7);
  });

  it('sorts by longest waiting and by priority over pages', async () => {
    const { db } = get();
    const tenant = await createTenant(db);
    const ws = tenant.workspaceId;
    const made: Array<{ id: string; inboundAt: number | null; priority: 'none' | 'low' | 'high' | 'urgent' }> = [];
    const priorities = ['none', 'low', 'high', 'urgent'] as const;
    // Customer messages after the threads were created (a thread's creation counts as activity).
    const base = Date.now() + 1_000_000;
    for (let i = 0; i < 9; i++) {
      const { contact, conversation } = await createThread(db, tenant);
      const inboundAt = i % 3 === 2 ? null : base - i * 1000;
      if (inboundAt !== null) {
        await openOrExtendWindow(db, ws, { inboxId: tenant.inbox.id, contactId: contact.id, inboundAt, windowExpiresAt: inboundAt + 86_400_000, state: 'open', now: inboundAt });
      }
      const priority = priorities[i % 4]!;
      await updateConversationStatus(db, ws, conversation.id, { priority }, base + 1);
      made.push({ id: conversation.id, inboundAt, priority });
    }
    const waiting = await allPages(db, ws, { sort: 'waiting' });
    const waitingIds = made.filter((m) => m.inboundAt !== null).sort((a, b) => a.inboundAt! - b.inboundAt!).map((m) => m.id);
    expect(waiting.slice(0, waitingIds.length).map((c) => c.id)).toEqual(waitingIds);
    expect(waiting).toHaveLength(9);
    expect(waiting.slice(waitingIds.length).every((c) => c.waitingSince === null)).toBe(true);
    expect(waiting[0]!.waitingSince).toBe(Math.min(...made.filter((m) => m.inboundAt !== null).map((m) => m.inboundAt!)));

    const byPriority = await allPages(db, ws, { sort: 'priority' });
    const rank = { none: 0, low: 1, medium: 2, high: 3, urgent: 4 };
    const ranks = byPriority.map((c) => rank[c.priority]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(byPriority).toHaveLength(9);
    expect(new Set(byPriority.map((c) => c.id)).size).toBe(9);
  });

  it('serves the assignee and team filters and folders from their listing indexes, without sorting (SQLite plan)', async () => {
    const { db, kind } = get();
    if (kind !== 'sqlite') return;
    const agent: Viewer = { userId: 'usr_x', role: 'agent', teamIds: ['team_a', 'team_b'] };
    const plans: Array<[ConversationFilter, string]> = [
      [{ assigneeId: 'usr_x' }, 'conversations_assignee_listing'],
      [{ teamId: 'team_a' }, 'conversations_team_listing'],
      [{ scopes: [folderPredicate('mine', agent)] }, 'conversations_assignee_listing'],
    ];
    for (const [filter, index] of plans) {
      const compiled = conversationListQuery(db, 'ws_plan', filter).compile();
      let i = 0;
      const text = compiled.sql.replace(/\?/g, () => {
        const v = compiled.parameters[i++];
        return typeof v === 'number' ? String(v) : `'${String(v)}'`;
      });
      const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${text}`).execute(db);
      const details = rows.map((r) => r.detail);
      // The page's ids alone: the listing index usually covers them.
      expect(details.some((d) => new RegExp(`SEARCH c USING (COVERING )?INDEX ${index} `).test(d)), details.join(' / ')).toBe(true);
      expect(details.some((d) => d.includes('TEMP B-TREE')), details.join(' / ')).toBe(false);
    }
  });
});
