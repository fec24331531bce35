// The team inbox as an operator feels it, on SQLite with 100,000 conversations and 1,000,000 messages
// (bench/read-api's fill): server time of the conversation list (folders, sorts) and of one
// conversation's messages over real HTTP with a signed-in operator's session cookie, each p99 against
// the floor measured in the same run (GET /auth/me: session check and a small JSON answer); live-event
// latency from a webhook's acknowledgement to the operator's WebSocket, idle and while other customers
// write 200 messages a second; and the initial JavaScript of the built web app, gzipped.
// Run: npx tsx bench/inbox.ts (READ_BENCH_CONVERSATIONS / READ_BENCH_MESSAGES scale it down).
// Goals (issue 14): lists and messages p99 < 100 ms, live p99 < 300 ms, initial JS < 250 KB.

import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import WebSocket from 'ws';
import { startParley, type Parley } from '../src/compose.js';
import { configFor, fill, type World } from './read-api.js';
import { isMain, percentile, REPO_ROOT, round, runAsMain } from './harness.js';

const REQUESTS = Number(process.env.INBOX_BENCH_REQUESTS ?? 200);
const PROBES = Number(process.env.INBOX_BENCH_PROBES ?? 100);
const LOAD_PER_SEC = 200;
const APP_SECRET = 'sandbox-app-secret';
const PASSWORD = 'bench-operator-password-7f3k';

interface Operator { cookie: string; csrf: string }
interface Timing { p50: number; p99: number; ratio: number }
export interface InboxBenchResult {
  floorP99Ms: number;
  lists: Record<string, Timing>;
  worstP99Ms: number;
  liveIdle: { p50: number; p99: number; lost: number };
  liveLoaded: { p50: number; p99: number; lost: number };
  initialJsGzipKb: number;
}

async function signIn(parley: Parley, apiKey: string): Promise<Operator> {
  const email = `bench-${Date.now()}@example.com`;
  const made = await request(`${parley.url}/api/v1/users`, {
    method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Bench Operator', role: 'admin', password: PASSWORD }),
  });
  if (made.statusCode !== 201 && made.statusCode !== 200) throw new Error(`POST /users → ${made.statusCode} ${await made.body.text()}`);
  await made.body.dump();
  const res = await request(`${parley.url}/api/v1/auth/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
  });
  const body = (await res.body.json()) as { csrfToken: string };
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((c) => c.split(';')[0]).find((c) => c?.startsWith('parley_session='));
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in → ${res.statusCode}`);
  return { cookie, csrf: body.csrfToken };
}

async function timePath(parley: Parley, op: Operator, path: (i: number) => string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 20; i++) {
    const started = process.hrtime.bigint();
    const res = await request(`${parley.url}${path(i)}`, { headers: { cookie: op.cookie } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${path(i)} → ${res.statusCode} ${text.slice(0, 200)}`);
    if (i >= 20) times.push(Number(process.hrtime.bigint() - started) / 1e6); // the first 20 warm up
  }
  return times.sort((a, b) => a - b);
}

function lists(): Array<[string, (i: number) => string]> {
  const conversation = (i: number) => `cv_bench_${String((i * 7919) % Number(process.env.READ_BENCH_CONVERSATIONS ?? 100_000)).padStart(7, '0')}`;
  return [
    ['list: all, last activity', () => '/api/v1/conversations?limit=50'],
    ['list: unassigned', () => '/api/v1/conversations?folder=unassigned&limit=50'],
    ['list: open, longest waiting', () => '/api/v1/conversations?state=open&sort=waiting&limit=50'],
    ['list: window open', () => '/api/v1/conversations?window=open&limit=50'],
    ['folder counts', () => '/api/v1/conversations/counts'],
    ["a conversation's messages", (i) => `/api/v1/conversations/${conversation(i)}/messages?limit=50`],
    ['search "message 3"', () => '/api/v1/search?q=message%203&limit=20'],
  ];
}

function inboundBody(phoneNumberId: string, from: string, n: string): string {
  const at = Math.floor(Date.now() / 1000);
  const value = {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
    contacts: [{ profile: { name: `Live ${from}` }, wa_id: from }],
    messages: [{ from, id: `wamid.inboxbench.${n}`, timestamp: String(at), type: 'text', text: { body: `live probe ${n}` } }],
  };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '700000000000001', changes: [{ value, field: 'messages' }] }] });
}

async function postWebhook(parley: Parley, body: string): Promise<void> {
  const res = await request(`${parley.url}/webhooks/whatsapp`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}` },
  });
  await res.body.dump();
  if (res.statusCode !== 200) throw new Error(`webhook → ${res.statusCode}`);
}

/** Sequential probes from one customer: each webhook's acknowledgement → its message.created on the socket. */
/** `gapMs` between probes: under load they are spread over a few seconds, so the load runs all along. */
async function probeLive(parley: Parley, op: Operator, phoneNumberId: string, label: string, customer: string, gapMs = 0): Promise<{ p50: number; p99: number; lost: number }> {
  const url = parley.url.replace(/^http/, 'ws');
  const socket = new WebSocket(`${url}/api/v1/live`, { headers: { cookie: op.cookie, origin: parley.url } });
  await new Promise<void>((resolve, reject) => { socket.once('open', () => resolve()); socket.once('error', reject); });
  let conversationId: string | undefined;
  let waiting: ((at: number) => void) | undefined;
  socket.on('message', (data) => {
    const event = JSON.parse(String(data)) as { kind: string; conversationId?: string };
    if (event.kind !== 'message.created') return;
    if (conversationId === undefined || event.conversationId === conversationId) waiting?.(performance.now());
  });
  const latencies: number[] = [];
  let lost = 0;
  try {
    for (let i = 0; i <= PROBES; i++) {
      const seen = new Promise<number>((resolve) => { waiting = resolve; });
      const body = inboundBody(phoneNumberId, customer, `${label}.${i}`);
      await postWebhook(parley, body);
      const ackAt = performance.now();
      const at = await Promise.race([seen, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
      if (i === 0) {
        // The first message opens the probe's conversation: learn its id (other customers write too).
        const page = await request(`${parley.url}/api/v1/search?q=${customer}&limit=1`, { headers: { cookie: op.cookie } });
        const found = (await page.body.json()) as { messages: Array<{ conversationId: string }> };
        conversationId = found.messages[0]?.conversationId;
        continue;
      }
      // The socket's frame can be read before the webhook's answer (two connections): that is 0.
      if (at === null) lost++;
      else latencies.push(Math.max(0, at - ackAt));
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
  } finally {
    socket.close();
  }
  latencies.sort((a, b) => a - b);
  return { p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), lost };
}

/** Other customers writing LOAD_PER_SEC messages a second until stopped. */
function backgroundLoad(parley: Parley, phoneNumberId: string): () => Promise<number> {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    const started = performance.now();
    while (running) {
      const due = Math.floor(((performance.now() - started) / 1000) * LOAD_PER_SEC);
      const batch: Promise<void>[] = [];
      while (sent < due) {
        const n = sent++;
        batch.push(postWebhook(parley, inboundBody(phoneNumberId, String(447900000000 + (n % 1000)), `load.${n}`)));
      }
      await Promise.all(batch);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return async () => { running = false; await loop; return sent; };
}

/** The scripts and module preloads index.html loads at once, gzipped. */
function initialJsGzipBytes(): number {
  const dist = join(REPO_ROOT, 'web', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0);
}

export async function run(): Promise<InboxBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-inbox-bench-'));
  const file = join(dir, 'parley.db');
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const first = await startParley(configFor(file, dir), { workers: false });
    const demo = first.demo;
    await first.close();
    if (!demo) throw new Error('inbox bench: Parley started without its demo workspace');
    const w: World = { workspaceId: demo.workspaceId, inboxA: demo.inboxId, inboxB: 'inb_bench_rare', apiKey: demo.apiKey };
    const filled = Date.now();
    fill(file, w);
    console.log(`inbox: database filled in ${((Date.now() - filled) / 1000).toFixed(1)} s; ${REQUESTS} requests per path, ${PROBES} live probes per phase`);
    const parley = await startParley(configFor(file, dir), { workers: true });
    try {
      const op = await signIn(parley, w.apiKey);
      const inbox = await request(`${parley.url}/api/v1/inboxes/${w.inboxA}`, { headers: { cookie: op.cookie } });
      const phoneNumberId = ((await inbox.body.json()) as { phoneNumberId: string }).phoneNumberId;
      const floor = await timePath(parley, op, () => '/api/v1/auth/me');
      const floorP99 = percentile(floor, 99);
      const result: InboxBenchResult = {
        floorP99Ms: round(floorP99, 2), lists: {}, worstP99Ms: 0,
        liveIdle: { p50: 0, p99: 0, lost: 0 }, liveLoaded: { p50: 0, p99: 0, lost: 0 }, initialJsGzipKb: 0,
      };
      for (const [name, path] of lists()) {
        const times = await timePath(parley, op, path);
        const p99 = percentile(times, 99);
        result.lists[name] = { p50: round(percentile(times, 50), 2), p99: round(p99, 2), ratio: round(p99 / floorP99, 1) };
        if (!name.startsWith('search')) result.worstP99Ms = Math.max(result.worstP99Ms, round(p99, 2));
      }
      result.liveIdle = await probeLive(parley, op, phoneNumberId, 'idle', '447900100001');
      const stop = backgroundLoad(parley, phoneNumberId);
      // The load runs a second before the first probe and through the last (probes 20 ms apart).
      await new Promise((r) => setTimeout(r, 1000));
      result.liveLoaded = await probeLive(parley, op, phoneNumberId, 'loaded', '447900100002', 20);
      const loadSent = await stop();
      result.initialJsGzipKb = round(initialJsGzipBytes() / 1024, 1);
      console.log(`  floor GET /auth/me: p99 ${result.floorP99Ms} ms`);
      for (const [name, t] of Object.entries(result.lists)) console.log(`  ${name.padEnd(30)} p50 ${String(t.p50).padStart(7)} ms  p99 ${String(t.p99).padStart(7)} ms  (${t.ratio}× the floor)`);
      console.log(`  live, idle:      p50 ${result.liveIdle.p50} ms, p99 ${result.liveIdle.p99} ms, lost ${result.liveIdle.lost}`);
      console.log(`  live, ${LOAD_PER_SEC}/s load: p50 ${result.liveLoaded.p50} ms, p99 ${result.liveLoaded.p99} ms, lost ${result.liveLoaded.lost} (${loadSent} other messages)`);
      console.log(`  initial JS: ${result.initialJsGzipKb} KB gzipped`);
      const ok = result.worstP99Ms < 100 && result.liveLoaded.p99 < 300 && result.liveIdle.p99 < 300 && result.initialJsGzipKb < 250;
      console.log(`inbox worst list p99 ${result.worstP99Ms} ms (goal < 100), live p99 ${result.liveLoaded.p99} ms under load (goal < 300), JS ${result.initialJsGzipKb} KB (goal < 250) ${ok ? 'OK' : 'BELOW GOAL'}`);
      return result;
    } finally {
      await parley.close();
    }
  } finally {
    clearInterval(keepAlive);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta)) runAsMain(() => run());
