// The sandbox's state store: what a restart keeps (and in what shape), ids that never repeat
// across runs — even after a kill -9 left a snapshot older than the last ids — write-behind
// timing, reset, and a clear error for a file of another version.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSandbox } from './app.js';
import { SandboxClock } from './clock.js';
import { seedState } from './seed.js';
import { SandboxState, type OutboundMessage } from './state.js';
import { SandboxStateStore, StateFileError, StatePersister } from './state-store.js';

const PHONE = '600000000000001';
const JOHN = '14155550123';
const T0 = Date.UTC(2026, 0, 10, 12);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  file = join(dir, 'sandbox.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function seeded(at = T0): SandboxState {
  const state = new SandboxState({}, new SandboxClock(at, 0));
  seedState(state);
  return state;
}

function outbound(state: SandboxState, to: string): OutboundMessage {
  const m: OutboundMessage = {
    wamid: state.newWamid(), phoneNumberId: PHONE, to, type: 'text', request: { messaging_product: 'whatsapp', to, type: 'text', text: { body: 'hi' } } as never,
    category: 'service', pricingType: 'free_customer_service', billable: false, priceUsd: 0, status: 'accepted',
    statusHistory: [], sentAt: state.clock.now(), outsideWindow: false,
  };
  state.outbound.set(m.wamid, m);
  return m;
}

/** Saves `state` to the file and loads it into a new sandbox state, as a restart does. */
function restart(state: SandboxState, keep?: number): SandboxState {
  const store = new SandboxStateStore(file, keep);
  store.save(state);
  store.close();
  const next = new SandboxState({}, new SandboxClock(Date.now(), 0));
  const reader = new SandboxStateStore(file, keep);
  expect(reader.load(next)).toBe(true);
  reader.close();
  return next;
}

describe('ids', () => {
  it('never repeat across two sandboxes of the same seed', () => {
    const a = seeded();
    const b = seeded();
    const wamids = [a.newWamid(), a.newWamid(), b.newWamid(), b.newWamid()];
    const ids = [a.newId(), a.newId(), b.newId(), b.newId()];
    expect(new Set(wamids).size).toBe(4);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^\d{15}$/);
    for (const w of wamids) expect(w.length).toBeLessThanOrEqual(128);
  });

  it('never repeat after a restart from a snapshot older than the last ids handed out', () => {
    const state = seeded();
    const store = new SandboxStateStore(file);
    store.save(state);
    store.close();
    // Handed out after the last save, then the process dies (kill -9): the snapshot does not know them.
    const lost = new Set(Array.from({ length: 500 }, () => [state.newWamid(), state.newId()]).flat());
    const next = new SandboxState({}, new SandboxClock(T0, 0));
    const reader = new SandboxStateStore(file);
    reader.load(next);
    reader.close();
    for (let i = 0; i < 500; i++) {
      expect(lost.has(next.newWamid())).toBe(false);
      expect(lost.has(next.newId())).toBe(false);
    }
  });
});

describe('SandboxStateStore', () => {
  it('keeps accounts, customers with their windows and opt-outs, templates, media, messages, clock and counters', () => {
    const state = seeded();
    const john = state.customers.get(JOHN)!;
    john.lastInboundAt.set(PHONE, T0 - 60_000);
    john.entryPoint.set(PHONE, { referralAt: T0 - 60_000, fepUntil: T0 + 3600_000 });
    john.marketingStopped.add(PHONE);
    state.phoneNumbers.get(PHONE)!.blockedUsers.add('447700900001');
    state.businesses.get('800000000000001')!.outOfWindowDeliveries.set(JOHN, T0);
    state.media.set('m1', {
      id: 'm1', phoneNumberId: PHONE, mimeType: 'image/png', sha256: 'x', bytes: Buffer.from([1, 2, 3]),
      createdAt: T0, expiresAt: T0 + 1000, deleted: false, urlKeys: new Map([['k', T0 + 5]]),
    });
    const sent = outbound(state, JOHN);
    state.inbound.set('wamid.in1', { wamid: 'wamid.in1', phoneNumberId: PHONE, from: JOHN, type: 'text', at: T0, readByBusiness: false });
    state.clock.advance(3 * 3600_000);
    const counters = state.counters();

    const next = restart(state);
    expect(next.customers.get(JOHN)).toEqual(john);
    expect(next.customers.get(JOHN)!.lastInboundAt).toBeInstanceOf(Map);
    expect(next.phoneNumbers.get(PHONE)!.blockedUsers).toEqual(new Set(['447700900001']));
    expect(next.businesses).toEqual(state.businesses);
    expect([...next.templates.values()]).toEqual([...state.templates.values()]);
    expect(next.apps).toEqual(state.apps);
    expect(next.tokens).toEqual(state.tokens);
    expect(next.media.get('m1')!.bytes).toEqual(Buffer.from([1, 2, 3]));
    expect(next.media.get('m1')!.urlKeys).toEqual(new Map([['k', T0 + 5]]));
    expect(next.outbound.get(sent.wamid)).toEqual(sent);
    expect(next.inbound.get('wamid.in1')!.from).toBe(JOHN);
    expect(next.counters()).toEqual(counters);
    // The sandbox clock goes on from where it was (3 h ahead of its start), not from the new process's start.
    expect(next.clock.now()).toBeGreaterThanOrEqual(T0 + 3 * 3600_000);
  });

  it('writes only what changed: a status update rewrites that message, old messages beyond the kept number are dropped', () => {
    const state = seeded();
    const store = new SandboxStateStore(file, 3);
    const messages = Array.from({ length: 5 }, () => outbound(state, JOHN));
    store.save(state);
    const first = messages[4]!;
    first.status = 'delivered';
    first.statusHistory.push({ status: 'delivered', at: T0 });
    store.save(state);
    store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT id, json FROM messages WHERE kind = 'out' ORDER BY ord").all() as Array<{ id: string; json: string }>;
    db.close();
    expect(rows.map((r) => r.id)).toEqual(messages.slice(2).map((m) => m.wamid));
    expect(JSON.parse(rows[2]!.json).status).toBe('delivered');
  });

  it('forgets everything on clear, and refuses a file of another version with what to do', () => {
    const state = seeded();
    const store = new SandboxStateStore(file);
    store.save(state);
    store.clear();
    expect(store.load(seeded())).toBe(false);
    store.save(state);
    store.close();
    const db = new Database(file);
    db.prepare("UPDATE sections SET json = json_set(json, '$.version', 99) WHERE name = 'meta'").run();
    db.close();
    const reader = new SandboxStateStore(file);
    expect(() => reader.load(seeded())).toThrow(StateFileError);
    expect(() => reader.load(seeded())).toThrow(/version 99.*SANDBOX_RESET=true/);
    reader.close();
  });
});

describe('StatePersister', () => {
  it('saves shortly after a change, not during it, and on close', async () => {
    const state = seeded();
    const store = new SandboxStateStore(file);
    const errors: Error[] = [];
    const persister = new StatePersister(store, () => state, (err) => errors.push(err), 50);
    const kept = () => {
      const probe = new SandboxStateStore(file);
      const loaded = new SandboxState({}, new SandboxClock(T0, 0));
      const found = probe.load(loaded) ? loaded.customers.get(JOHN)!.lastInboundAt.get(PHONE) : undefined;
      probe.close();
      return found;
    };
    state.customers.get(JOHN)!.lastInboundAt.set(PHONE, T0);
    persister.touch();
    expect(kept()).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(kept()).toBe(T0);
    state.customers.get(JOHN)!.lastInboundAt.set(PHONE, T0 + 1);
    persister.close();
    expect(kept()).toBe(T0 + 1);
    expect(errors).toEqual([]);
  });
});

describe('buildSandbox with a state file', () => {
  it('restores on start, reviews templates left PENDING again, and starts from the seed with resetState', async () => {
    const first = await buildSandbox({ stateFile: file, clock: new SandboxClock(T0, 0) });
    const template = [...first.ctx.state.templates.values()].find((t) => t.name === 'hello_world')!;
    template.status = 'PENDING';
    first.ctx.state.customers.get(JOHN)!.lastInboundAt.set(PHONE, T0);
    first.ctx.state.personas.delete('silent');
    await first.app.close();

    const clock = new SandboxClock(T0, 0);
    const second = await buildSandbox({ stateFile: file, clock });
    expect(second.ctx.state.customers.get(JOHN)!.lastInboundAt.get(PHONE)).toBe(T0);
    expect(second.ctx.state.personas.has('silent')).toBe(true); // built-in personas are always there
    expect(second.ctx.state.templates.get(template.id)!.status).toBe('PENDING');
    clock.advance(second.ctx.state.options.templateReviewDelayMs);
    expect(second.ctx.state.templates.get(template.id)!.status).toBe('APPROVED');
    await second.app.close();

    const third = await buildSandbox({ stateFile: file, resetState: true, clock: new SandboxClock(T0, 0) });
    expect(third.ctx.state.customers.get(JOHN)!.lastInboundAt.size).toBe(0);
    expect(third.ctx.state.templates.has(template.id)).toBe(false);
    await third.app.close();
  });
});
