// Facts about marketing sent to one contact, for the policy's frequency caps: marketing templates
// delivered in a period, and the last "healthy ecosystem" refusal (131049) Meta reported.

import type { Db } from '../db.js';

/** Marketing templates to the contact that Meta delivered (or read) since `since`, and the oldest of them. */
export async function marketingDeliveriesSince(
  db: Db, workspaceId: string, contactId: string, since: number,
): Promise<{ count: number; oldestAt: number | null }> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('delivered_at').as('oldest')])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('direction', '=', 'out')
    .where('template_category', '=', 'MARKETING')
    .where('delivered_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldestAt: row.oldest === null ? null : Number(row.oldest) };
}

/** When Meta last failed a message to this contact with 131049, if ever. */
export async function lastEcosystemFailureAt(db: Db, workspaceId: string, contactId: string): Promise<number | null> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('failed_at').as('at'))
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('direction', '=', 'out')
    .where('error_code', '=', 131049)
    .executeTakeFirstOrThrow();
  return row.at === null ? null : Number(row.at);
}
