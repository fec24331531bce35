// Benchmark: messages accepted per second by the sandbox (real HTTP, keep-alive undici, 64 in
// flight, `load` persona, status webhooks flowing to a local receiver) versus a bare Fastify JSON
// endpoint measured in the same run. Prints both rates and the ratio (goal ≥ 0.5).
// Run alone: `npx tsx bench/sandbox.ts` (BENCH_SECONDS=3 by default), or call `run()`.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { Pool } from 'undici';
import { buildSandbox } from '../src/sandbox/app.js';
import type { SeedSpec } from '../src/sandbox/seed.js';

const CONCURRENCY = 64;
const NUMBERS = 40; // 1,000 mps each: throughput limits stay out of the way of the measurement
const CUSTOMERS = 100; // 4,000 (number, customer) pairs: the pair rate (1 per 6 s, burst 45) never binds
const TOKEN = 'bench-token';

export interface SandboxBenchResult {
  bareRps: number;
  sandboxRps: number;
  ratio: number;
  sandboxRejected: number;
  webhookPosts: number;
  statusesDelivered: number;
}

interface LoadResult { ok: number; failed: number; seconds: number }

/** `CONCURRENCY` loops posting back-to-back for `seconds`; counts 200 answers. */
async function load(base: string, seconds: number, body: (i: number) => { path: string; json: string }): Promise<LoadResult> {
  const pool = new Pool(base, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
  let ok = 0;
  let failed = 0;
  let i = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const { path, json } = body(i++);
      const res = await pool.request({
        method: 'POST', path, body: json,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      });
      await res.body.dump();
      if (res.statusCode === 200) ok++; else failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { ok, failed, seconds: elapsed };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The baseline: a bare Fastify route answering a send-shaped JSON body. */
export async function measureBare(seconds: number): Promise<LoadResult> {
  const app = Fastify({ logger: false });
  let n = 0;
  app.post('/v21.0/:id/messages', async (req) => {
    const body = req.body as { to: string };
    return { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${++n}` }] };
  });
  const base = await listen(app);
  const json = JSON.stringify(textBody('447700900000'));
  await load(base, 0.5, () => ({ path: '/v21.0/1/messages', json })); // warm-up
  const result = await load(base, seconds, () => ({ path: '/v21.0/1/messages', json }));
  await app.close();
  return result;
}

function textBody(to: string): Record<string, unknown> {
  return { messaging_product: 'whatsapp', to, type: 'text', text: { body: 'Your order #1042 has shipped and will arrive tomorrow.' } };
}

/** A webhook receiver that reads each body and answers 200 without checking anything. */
async function startReceiver(): Promise<{ server: Server; url: string; posts: () => number }> {
  let posts = 0;
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => { posts++; res.writeHead(200).end('ok'); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, posts: () => posts };
}

function benchSeed(callbackUrl: string): SeedSpec {
  const numbers = Array.from({ length: NUMBERS }, (_, i) => ({
    id: String(610000000000000 + i), wabaId: '710000000000001', displayPhoneNumber: String(15550100000 + i), throughputMps: 1000,
  }));
  return {
    apps: [{ id: '910000000000001', secret: 'bench-secret', callbackUrl }],
    businesses: [{ id: '810000000000001', verified: true, messagingLimit: -1 }],
    wabas: [{ id: '710000000000001', businessId: '810000000000001', subscribedApps: ['910000000000001'] }],
    phoneNumbers: numbers,
    tokens: [{ token: TOKEN, appId: '910000000000001', wabaIds: ['710000000000001'] }],
    customers: Array.from({ length: CUSTOMERS }, (_, i) => ({ waId: String(447700800000 + i), persona: 'load' })),
  };
}

export async function measureSandbox(seconds: number): Promise<LoadResult & { webhookPosts: number; statuses: number }> {
  const receiver = await startReceiver();
  const { app, ctx } = await buildSandbox({ seed: benchSeed(receiver.url) });
  const base = await listen(app);
  // Every customer has written to every number, so text messages are inside the service window.
  for (const c of ctx.state.customers.values()) for (const id of ctx.state.phoneNumbers.keys()) c.lastInboundAt.set(id, ctx.state.clock.now());
  const numberIds = [...ctx.state.phoneNumbers.keys()];
  const bodies = [...ctx.state.customers.keys()].map((waId) => JSON.stringify(textBody(waId)));
  const pick = (i: number) => ({ path: `/v21.0/${numberIds[i % NUMBERS]}/messages`, json: bodies[Math.floor(i / NUMBERS) % CUSTOMERS]! });
  await load(base, 0.5, pick); // warm-up
  const postsBefore = receiver.posts();
  const result = await load(base, seconds, pick);
  await ctx.webhooks.idle();
  let statuses = 0;
  for (const m of ctx.state.outbound.values()) statuses += m.statusHistory.length;
  const webhookPosts = receiver.posts() - postsBefore;
  await app.close();
  receiver.server.closeAllConnections();
  await new Promise((resolve) => receiver.server.close(resolve));
  return { ...result, webhookPosts, statuses };
}

export async function run(seconds = Number(process.env.BENCH_SECONDS ?? 3)): Promise<SandboxBenchResult> {
  const bare = await measureBare(seconds);
  const sandbox = await measureSandbox(seconds);
  const bareRps = bare.ok / bare.seconds;
  const sandboxRps = sandbox.ok / sandbox.seconds;
  const result: SandboxBenchResult = {
    bareRps: Math.round(bareRps), sandboxRps: Math.round(sandboxRps), ratio: Number((sandboxRps / bareRps).toFixed(2)),
    sandboxRejected: sandbox.failed, webhookPosts: sandbox.webhookPosts, statusesDelivered: sandbox.statuses,
  };
  process.stdout.write([
    `sandbox bench (${CONCURRENCY} in flight, ${seconds} s per side, load persona, webhooks to a local receiver)`,
    `  bare Fastify JSON endpoint: ${result.bareRps} req/s`,
    `  sandbox messages accepted:  ${result.sandboxRps} msg/s  (${sandbox.failed} not accepted)`,
    `  webhook POSTs: ${result.webhookPosts}, statuses emitted: ${result.statusesDelivered}`,
    `  ratio sandbox / bare: ${result.ratio}  (goal ≥ 0.5)`,
  ].join('\n') + '\n');
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
}
