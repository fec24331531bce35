// Facts about what was sent to one contact, for the policy: marketing templates delivered in a
// period, the last "healthy ecosystem" refusal (131049) Meta reported, and whether the contact already
// counts toward the messaging limit. Every lookup is bounded by time and is one range of an index
// (migration 0011's partial indexes; the predicates are literal SQL so SQLite can prove they apply).

import type { Db } from '../db.js';
import { placeholderRows, powerOfTwoChunks, runRawSql } from '../raw-sql.js';

const MARKETING_DELIVERED = `from messages where workspace_id = ? and contact_id = ? and direction = 'out' and template_category = 'MARKETING' and delivered_at >= ?`;
const ECOSYSTEM_FAILED = `from messages where workspace_id = ? and contact_id = ? and direction = 'out' and error_code = 131049 and failed_at >= ?`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Marketing templates to the contact that Meta delivered (or read) since `since`, and the oldest of them. */
export async function marketingDeliveriesSince(
  db: Db, workspaceId: string, contactId: string, since: number,
): Promise<{ count: number; oldestAt: number | null }> {
  const { rows } = await runRawSql<{ n: unknown; oldest: unknown }>(db, 'marketing-delivered',
    () => `select count(*) as n, min(delivered_at) as oldest ${MARKETING_DELIVERED}`, [workspaceId, contactId, since]);
  return { count: Number(rows[0]?.n ?? 0), oldestAt: num(rows[0]?.oldest) };
}

/** When Meta last failed a message to this contact with 131049 at or after `since` (default: ever). */
export async function lastEcosystemFailureAt(db: Db, workspaceId: string, contactId: string, since = 0): Promise<number | null> {
  const { rows } = await runRawSql<{ at: unknown }>(db, 'ecosystem-failed',
    () => `select max(failed_at) as at ${ECOSYSTEM_FAILED}`, [workspaceId, contactId, since]);
  return num(rows[0]?.at);
}

export interface ContactSendHistory {
  /** The contact already counts toward the messaging limit since `since`. */
  countedSince: boolean;
  marketing: { count: number; oldestAt: number | null };
  lastEcosystemFailureAt: number | null;
}

/**
 * The three facts in one statement, since `since` (the policy looks 24 h back for each). With
 * `marketing: false` (not a marketing template: the caps do not apply) those lookups are skipped.
 */
export async function contactSendHistory(
  db: Db, workspaceId: string, contactId: string, since: number, opts: { marketing: boolean },
): Promise<ContactSendHistory> {
  const counted = 'select limit_counted_at from contacts where workspace_id = ? and id = ?';
  const key = opts.marketing ? 'send-history:marketing' : 'send-history';
  const { rows } = await runRawSql<{ counted_at: unknown; n?: unknown; oldest?: unknown; eco?: unknown }>(db, key, () => (opts.marketing
    ? `select (${counted}) as counted_at, (select count(*) ${MARKETING_DELIVERED}) as n, (select min(delivered_at) ${MARKETING_DELIVERED}) as oldest, (select max(failed_at) ${ECOSYSTEM_FAILED}) as eco`
    : `select (${counted}) as counted_at`),
  opts.marketing
    ? [workspaceId, contactId, workspaceId, contactId, since, workspaceId, contactId, since, workspaceId, contactId, since]
    : [workspaceId, contactId]);
  const row = rows[0];
  const countedAt = num(row?.counted_at);
  return {
    countedSince: countedAt !== null && countedAt >= since,
    marketing: { count: Number(row?.n ?? 0), oldestAt: num(row?.oldest) },
    lastEcosystemFailureAt: num(row?.eco),
  };
}

/** contactSendHistory's marketing facts for many contacts (the bulk path), two statements per chunk. */
export async function marketingHistoryOf(
  db: Db, workspaceId: string, contactIds: string[], since: number,
): Promise<Map<string, Pick<ContactSendHistory, 'marketing' | 'lastEcosystemFailureAt'>>> {
  const out = new Map<string, Pick<ContactSendHistory, 'marketing' | 'lastEcosystemFailureAt'>>();
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, e = { marketing: { count: 0, oldestAt: null }, lastEcosystemFailureAt: null });
    return e;
  };
  const ids = [...new Set(contactIds)];
  for (let i = 0; i < ids.length; i += 256) {
    for (const part of powerOfTwoChunks(ids.slice(i, i + 256))) {
      const inList = `contact_id in (${placeholderRows(part.length, '?')})`;
      const delivered = await runRawSql<{ contact_id: string; n: unknown; oldest: unknown }>(db, `bulk-marketing:${part.length}`,
        () => `select contact_id, count(*) as n, min(delivered_at) as oldest from messages where workspace_id = ? and ${inList} and direction = 'out' and template_category = 'MARKETING' and delivered_at >= ? group by contact_id`,
        [workspaceId, ...part, since]);
      for (const r of delivered.rows) entry(r.contact_id).marketing = { count: Number(r.n), oldestAt: num(r.oldest) };
      const failed = await runRawSql<{ contact_id: string; at: unknown }>(db, `bulk-ecosystem:${part.length}`,
        () => `select contact_id, max(failed_at) as at from messages where workspace_id = ? and ${inList} and direction = 'out' and error_code = 131049 and failed_at >= ? group by contact_id`,
        [workspaceId, ...part, since]);
      for (const r of failed.rows) entry(r.contact_id).lastEcosystemFailureAt = num(r.at);
    }
  }
  return out;
}
