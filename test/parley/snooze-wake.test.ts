// Snoozed conversations wake on Parley's clock (the timers worker), on both databases: one snoozed
// for an hour is still snoozed half an hour later and open again once the hour has passed; one
// snoozed until the customer's reply is left alone by the clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type DbKind, type Harness } from './harness.js';
import { customerWrites } from './assignment-steps.js';

const HOUR = 3600_000;

describe.each<DbKind>(['sqlite', 'postgres'])('snooze wakes on the clock (%s)', (db) => {
  let h: Harness;
  let offset = 0;
  beforeAll(async () => { h = await startHarness({ db, now: () => Date.now() + offset }); });
  afterAll(async () => { await h?.close(); });

  const stateOf = async (id: string) => (await h.api.get(`/api/v1/conversations/${id}`)).body;

  it('reopens a conversation when its snooze time passes, and not before', async () => {
    const timed = await customerWrites(h, '447400123801', 'Call me back tomorrow');
    const untilReply = await customerWrites(h, '447400123802', 'I will think about it');
    const until = Date.now() + HOUR;
    expect((await h.api.patch(`/api/v1/conversations/${timed}`, { state: 'snoozed', snoozedUntil: until })).status).toBe(200);
    expect((await h.api.patch(`/api/v1/conversations/${untilReply}`, { state: 'snoozed', untilReply: true })).status).toBe(200);

    offset = HOUR / 2;
    await h.parley.timers.runOnce();
    expect(await stateOf(timed)).toMatchObject({ state: 'snoozed', snoozedUntil: until });

    offset = HOUR + 1000;
    await h.parley.timers.runOnce();
    expect(await stateOf(timed)).toMatchObject({ state: 'open', snoozedUntil: null });
    expect(await stateOf(untilReply)).toMatchObject({ state: 'snoozed', snoozedUntil: null });
  });
});
