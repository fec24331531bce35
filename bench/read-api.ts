// Read API latency at scale: a SQLite database filled with 100,000 conversations and 1,000,000
// messages (bulk inserts in transactions), then GET /api/v1/conversations with each filter over real
// HTTP, p50/p99 per filter — with migration 0012's listing indexes, then without them (the baseline,
// measured in the same run on the same data). Run: npx tsx bench/read-api.ts
// (READ_BENCH_CONVERSATIONS / READ_BENCH_MESSAGES / READ_BENCH_REQUESTS scale it down).

import Sqlite from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startParley, type Parley } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { listConversationViews } from '../src/store/queries/conversation-views.js';
import type { ConversationState } from '../src/store/rows.js';
import { isMain, runAsMain } from './harness.js';

const CONVERSATIONS = Number(process.env.READ_BENCH_CONVERSATIONS ?? 100_000);
const MESSAGES = Number(process.env.READ_BENCH_MESSAGES ?? 1_000_000);
const REQUESTS = Number(process.env.READ_BENCH_REQUESTS ?? 300);
/** Inbox B holds 2 % of the conversations (a small number next to a big one); pending is rare too. */
const T0 = Date.UTC(2026, 0, 1);

export interface World { workspaceId: string; inboxA: string; inboxB: string; apiKey: string }

const stateOf = (i: number): string => (i % 50 === 0 ? 'pending' : i % 5 === 0 ? 'open' : 'resolved');
const inboxOf = (w: World, i: number): string => (i % 100 === 7 || i % 100 === 50 ? w.inboxB : w.inboxA);

export function fill(file: string, w: World): void {
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.prepare(`insert into inboxes (id, workspace_id, phone_number_id, waba_id, display_phone_number, status, messaging_limit, throughput_mps, created_at, updated_at)
    values (?, ?, '699999999999999', '799999999999999', '+1 555 000 9999', 'CONNECTED', 1000, 80, ?, ?)`).run(w.inboxB, w.workspaceId, T0, T0);
  const contact = db.prepare(`insert into contacts (id, workspace_id, wa_id, e164, name, attributes, tags, created_at, updated_at)
    values (?, ?, ?, ?, ?, '{}', '[]', ?, ?)`);
  const conversation = db.prepare(`insert into conversations (id, workspace_id, inbox_id, contact_id, state, last_inbound_at, last_message_at, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const message = db.prepare(`insert into messages (id, workspace_id, inbox_id, conversation_id, contact_id, direction, type, content, status, wamid, outside_window, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, 'text', ?, ?, ?, 0, ?, ?)`);
  const perConversation = Math.max(1, Math.floor(MESSAGES / CONVERSATIONS));
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const ct = `ct_bench_${i}`;
      const cv = `cv_bench_${String(i).padStart(7, '0')}`;
      const inbox = inboxOf(w, i);
      const start = T0 + i * 1000;
      const last = start + (perConversation - 1) * 37_000 + (i % 997) * 60_000;
      contact.run(ct, w.workspaceId, `4477${String(i).padStart(8, '0')}`, `+4477${String(i).padStart(8, '0')}`, `Customer ${i}`, start, start);
      conversation.run(cv, w.workspaceId, inbox, ct, stateOf(i), last, last, start, last);
      for (let k = 0; k < perConversation; k++) {
        const at = k === perConversation - 1 ? last : start + k * 37_000;
        const inbound = k % 2 === 0;
        message.run(`msg_bench_${i}_${k}`, w.workspaceId, inbox, cv, ct, inbound ? 'in' : 'out', JSON.stringify({ type: 'text', body: `message ${k} of ${i}` }),
          inbound ? 'received' : 'delivered', inbound ? `wamid.bench.${i}.${k}` : null, at, at);
      }
    }
  });
  // Indexes are built once after the load (sorted), not row by row during it.
  const indexes = db.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null
    and tbl_name in ('contacts', 'conversations', 'messages')`).all() as Array<{ name: string; sql: string }>;
  for (const index of indexes) db.exec(`drop index "${index.name}"`);
  for (let from = 0; from < CONVERSATIONS; from += 10_000) batch(from, Math.min(CONVERSATIONS, from + 10_000));
  // No ANALYZE: Parley never runs it, so the planner sees what a real database gives it.
  for (const index of indexes) db.exec(index.sql);
  db.close();
}

/** Back to the indexes before 0012 (the baseline). */
function dropListingIndexes(file: string): void {
  const db = new Sqlite(file);
  for (const name of ['conversations_contact_listing', 'conversations_inbox_listing', 'conversations_state_listing', 'conversations_inbox_state_listing']) {
    db.exec(`drop index ${name}`);
  }
  db.exec('create index conversations_contact on conversations (workspace_id, contact_id)');
  db.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Timing { p50: number; p99: number; dbP50: number; dbP99: number; rows: number }

/** Over HTTP, and the same page's query alone in-process (the database's share of the time). */
async function timeRequests(parley: Parley, w: World, filter: (i: number) => Filter | null): Promise<Timing> {
  const http: number[] = [];
  const store: number[] = [];
  let rows = 0;
  for (let i = 0; i < REQUESTS + 20; i++) {
    const f = filter(i);
    const path = f === null ? '/api/v1/inboxes' : `/api/v1/conversations?${new URLSearchParams({ ...f, limit: '50' } as Record<string, string>)}`;
    let started = process.hrtime.bigint();
    const res = await request(`${parley.url}${path}`, { headers: { authorization: `Bearer ${w.apiKey}` } });
    const body = (await res.body.json()) as { items?: unknown[] };
    if (res.statusCode !== 200 || !body.items) throw new Error(`GET ${path} → ${res.statusCode} ${JSON.stringify(body).slice(0, 200)}`);
    const httpMs = Number(process.hrtime.bigint() - started) / 1e6;
    started = process.hrtime.bigint();
    if (f !== null) await listConversationViews(parley.deps.database.db, w.workspaceId, { ...f, limit: 50 });
    const dbMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (i >= 20) { http.push(httpMs); store.push(dbMs); } // the first 20 warm up
    rows += body.items.length;
  }
  http.sort((a, b) => a - b);
  store.sort((a, b) => a - b);
  return { p50: percentile(http, 50), p99: percentile(http, 99), dbP50: percentile(store, 50), dbP99: percentile(store, 99), rows: Math.round(rows / (REQUESTS + 20)) };
}

type Filter = { contactId?: string; inboxId?: string; state?: ConversationState };

function filters(w: World): Array<[string, (i: number) => Filter | null]> {
  const someContact = (i: number) => `ct_bench_${(i * 7919) % CONVERSATIONS}`;
  return [
    // The floor: an authenticated request reading two small rows, to compare the lists against.
    ['baseline: GET /inboxes', () => null],
    ['no filter', () => ({})],
    ['contactId', (i) => ({ contactId: someContact(i) })],
    ['inboxId (98 % of rows)', () => ({ inboxId: w.inboxA })],
    ['inboxId (2 % of rows)', () => ({ inboxId: w.inboxB })],
    ['state=open (20 %)', () => ({ state: 'open' })],
    ['state=pending (2 %)', () => ({ state: 'pending' })],
    ['inboxId (2 %) + state=pending (1 %)', () => ({ inboxId: w.inboxB, state: 'pending' })],
  ];
}

async function measure(file: string, dir: string, w: World): Promise<Map<string, Timing>> {
  const parley = await startParley(configFor(file, dir), { workers: false });
  try {
    const results = new Map<string, Timing>();
    for (const [name, filter] of filters(w)) results.set(name, await timeRequests(parley, w, filter));
    return results;
  } finally {
    await parley.close();
  }
}

export function configFor(file: string, dir: string) {
  return loadConfig({
    DATABASE_URL: `sqlite:${file}`, PORT: '0', SANDBOX_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent',
    MEDIA_DIR: join(dir, 'media'), ENCRYPTION_KEY: KEY,
  });
}

const KEY = randomBytes(32).toString('hex');

export async function runReadApiBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-read-bench-'));
  const file = join(dir, 'parley.db');
  // Closing SQLite awaits an unref'd checkpointer thread: without a ref'd handle the process would end there.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const first = await startParley(configFor(file, dir), { workers: false });
    const demo = first.demo;
    await first.close();
    if (!demo) throw new Error('read-api bench: Parley started without its demo workspace');
    const w: World = { workspaceId: demo.workspaceId, inboxA: demo.inboxId, inboxB: 'inb_bench_rare', apiKey: demo.apiKey };
    const filled = Date.now();
    fill(file, w);
    console.log(`read-api: ${CONVERSATIONS} conversations, ${MESSAGES} messages filled in ${((Date.now() - filled) / 1000).toFixed(1)} s; ${REQUESTS} requests per filter`);
    const after = await measure(file, dir, w);
    dropListingIndexes(file);
    const before = await measure(file, dir, w);
    const ms = (n: number) => n.toFixed(2).padStart(8);
    console.log(`${'filter'.padEnd(38)} rows | HTTP p50      p99 | query p50      p99 || without 0012: HTTP p50   p99 | query p50   p99`);
    for (const [name, a] of after) {
      const b = before.get(name)!;
      console.log(`${name.padEnd(38)} ${String(a.rows).padStart(4)} | ${ms(a.p50)} ${ms(a.p99)} | ${ms(a.dbP50)} ${ms(a.dbP99)} || ${ms(b.p50)} ${ms(b.p99)} | ${ms(b.dbP50)} ${ms(b.dbP99)}`);
    }
    const lists = [...after].filter(([name]) => !name.startsWith('baseline'));
    console.log(`read-api worst list p99: HTTP ${Math.max(...lists.map(([, a]) => a.p99)).toFixed(2)} ms, query ${Math.max(...lists.map(([, a]) => a.dbP99)).toFixed(2)} ms (goal < 10 ms)`);
  } finally {
    clearInterval(keepAlive);
    if (process.env.READ_BENCH_KEEP === '1') console.log(`read-api: database kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta)) runAsMain(runReadApiBench);
