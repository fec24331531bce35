// The messaging limit under concurrent sends, on both stores: a CRM firing many template sends at
// once to new customers outside the service window gets exactly the tier's remaining slots, and
// every other send is refused before the Cloud API. Counting the slots and queueing a message are
// one step per workspace (SQLite: one transaction on the process's connection; PostgreSQL: an
// advisory lock that holds across processes).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type DbKind, type Harness } from './harness.js';
import { createCustomer, sandboxSends, sendOk, templateContent } from './steps.js';

const TIER = 50; // Meta's smallest tier
const CONCURRENT = 12;
const FREE = 4; // slots left when the concurrent sends arrive

describe.each<DbKind>(['sqlite', 'postgres'])('messaging limit under concurrent sends (%s)', (db) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db });
    await h.parley.deps.database.db.updateTable('inboxes').set({ messaging_limit: TIER }).where('id', '=', h.parley.demo!.inboxId).execute();
  });
  afterAll(async () => { await h?.close(); });

  const customer = (n: number): string => String(447500400000 + n);

  it(`gives ${CONCURRENT} simultaneous sends to new customers exactly the ${FREE} free slots of a ${TIER}-customer tier`, async () => {
    const taken = TIER - FREE;
    for (let n = 0; n < taken + CONCURRENT; n++) await createCustomer(h.sandbox, customer(n), 'silent');
    for (let n = 0; n < taken; n++) await sendOk(h.api, `+${customer(n)}`, templateContent());

    const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) =>
      h.api.post('/api/v1/messages', { to: `+${customer(taken + i)}`, content: templateContent() })));
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 422);
    expect(accepted).toHaveLength(FREE);
    expect(refused).toHaveLength(CONCURRENT - FREE);
    for (const r of refused) expect(r.body.error.details).toMatchObject({ reason: 'messaging_limit_reached' });

    // The accepted ones reach the Cloud API; the refused ones never do.
    const to = (pick: number) => answers.flatMap((a, i) => (a.status === pick ? [customer(taken + i)] : []));
    const sentTo = await eventually(async () => {
      const sent = new Set((await sandboxSends(h.sandbox)).map((r) => String(r.body?.to)));
      return to(202).every((c) => sent.has(c)) && sent;
    }, { what: 'the accepted messages sent' });
    expect(to(422).filter((c) => sentTo.has(c))).toEqual([]);
    const counted = await h.parley.deps.database.db.selectFrom('contacts').select('wa_id')
      .where('workspace_id', '=', h.parley.demo!.workspaceId).where('limit_counted_at', 'is not', null).execute();
    expect(counted).toHaveLength(TIER);
  });
});
