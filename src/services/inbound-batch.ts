// Applying stored webhook events in batches: one transaction per batch (read the oldest due events,
// apply them, mark them done), stopped after `budgetMs` so the event loop that serves HTTP is never
// held longer than that. Each conversation keeps its order: on SQLite, batches run one at a time (one
// connection, and the read is inside the transaction); on PostgreSQL, a batch takes advisory locks on
// its conversations while it holds the claim lock, so a later batch sharing a conversation waits for
// it to commit. Live updates are published after the commit, in commit order; media downloads and
// template syncs run after the commit too (a transaction never waits on Meta).

import { sql } from 'kysely';
import type { Bus } from '../bus/bus.js';
import { CloudApiError } from '../cloudapi/graph-codes.js';
import { backoffMs } from '../core/backoff.js';
import type { InboundEvent } from '../core/inbound.js';
import type { AppDeps } from '../http/deps.js';
import { dialectOf, withTransaction, type Db } from '../store/db.js';
import {
  completeWebhookEvents, failWebhookEvent, lockClaimableWebhookEvents, type WebhookEventRecord,
} from '../store/queries/webhook-events.js';
import { parseStoredEvent, type InboundProcessor } from './inbound.js';
import { webhookScope, type WebhookScope } from './webhook-scope.js';

export interface BatchOptions {
  /** Most events read per batch. */
  limit: number;
  /** SQLite: stop applying (and commit) once the batch has run this long; the rest waits for the next batch. */
  budgetMs: number;
  maxAttempts: number;
}

export interface BatchResult {
  /** Events read from the store. */
  read: number;
  /** Events applied and marked done. */
  applied: number;
}

interface Parsed { event: WebhookEventRecord; domain: InboundEvent[] | undefined }
interface Deferred { event: WebhookEventRecord; task: (deps: AppDeps) => Promise<void> }

const CLAIM_LOCK = 'webhook-events:claim';

/** Live updates of committed batches, published in commit order (see appendPublishes). */
let publishChain: Promise<void> = Promise.resolve();

/** Applies one batch; throws when it failed as a whole (nothing of it was applied). */
export async function applyWebhookBatch(deps: AppDeps, processor: InboundProcessor, opts: BatchOptions): Promise<BatchResult> {
  const deferred: Deferred[] = [];
  let settle!: (committed: boolean) => void;
  const committed = new Promise<boolean>((resolve) => { settle = resolve; });
  let result: BatchResult;
  try {
    result = await inTransaction(deps.database.db, async (trx) => {
      const parsed = await claim(deps, trx, opts.limit);
      const published: Array<[string, unknown]> = [];
      const txDeps: AppDeps = { ...deps, database: { ...deps.database, db: trx }, bus: collectingBus(deps.bus, published) };
      // PostgreSQL's queries yield to the event loop, and a later batch may already hold events of
      // the same conversations (waiting on their locks): there a batch is applied whole.
      const budgetMs = dialectOf(trx) === 'postgres' ? Infinity : opts.budgetMs;
      const done = await applyParsed(txDeps, processor, parsed, budgetMs, deferred);
      await completeWebhookEvents(trx, done.map((e) => e.id), deps.now());
      appendPublishes(deps, committed, published);
      return { read: parsed.length, applied: done.length };
    });
    settle(true);
  } catch (err) {
    settle(false);
    throw err;
  }
  await Promise.all(deferred.map((d) => runDeferred(deps, d, opts.maxAttempts)));
  return result;
}

/** The oldest due events, parsed; on PostgreSQL with their conversations locked in claim order. */
async function claim(deps: AppDeps, trx: Db, limit: number): Promise<Parsed[]> {
  const postgres = dialectOf(trx) === 'postgres';
  if (postgres) await sql`select pg_advisory_lock(hashtextextended(${CLAIM_LOCK}, 0))`.execute(trx);
  const events = await lockClaimableWebhookEvents(trx, { limit, now: deps.now() });
  // SQLite parses as it applies (a batch over its time budget leaves the rest unparsed).
  const parsed = events.map((event): Parsed => ({ event, domain: postgres ? parseStoredEvent(deps, event.payload) ?? [] : undefined }));
  if (postgres) {
    const keys = [...new Set(parsed.flatMap((p) => (p.domain ?? []).map(orderKey)))].sort();
    if (keys.length > 0) await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${keys}::text[]) as k`.execute(trx);
    await sql`select pg_advisory_unlock(hashtextextended(${CLAIM_LOCK}, 0))`.execute(trx);
  }
  return parsed;
}

/** Applies events in order until the budget is spent (at least one); returns those applied. */
async function applyParsed(txDeps: AppDeps, processor: InboundProcessor, parsed: Parsed[], budgetMs: number, deferred: Deferred[]): Promise<WebhookEventRecord[]> {
  const started = performance.now();
  const scopes = new Map<string | null, WebhookScope>();
  const done: WebhookEventRecord[] = [];
  for (const { event, domain } of parsed) {
    if (done.length > 0 && performance.now() - started >= budgetMs) break;
    let scope = scopes.get(event.signerHash);
    if (!scope) scopes.set(event.signerHash, scope = webhookScope(txDeps, event.signerHash));
    const events = domain ?? parseStoredEvent(txDeps, event.payload) ?? [];
    await processor.applyAll({ deps: txDeps, scope, defer: (task) => deferred.push({ event, task }) }, events);
    done.push(event);
  }
  return done;
}

/**
 * What must stay in order: one customer's thread on one number (messages, statuses, preferences);
 * account-level events per WABA.
 */
export function orderKey(e: InboundEvent): string {
  switch (e.kind) {
    case 'message': return `c:${e.phoneNumberId}:${e.contact.waId}`;
    case 'status': return `c:${e.phoneNumberId}:${e.recipientId}`;
    case 'user_preference': return `c:${e.phoneNumberId}:${e.waId}`;
    case 'malformed': return 'malformed';
    case 'error': return `n:${e.phoneNumberId}`;
    default: return `w:${e.wabaId}`;
  }
}

/**
 * SQLite: a plain transaction (the process's one connection runs nothing else meanwhile). PostgreSQL:
 * on one pooled connection, so the session-level claim lock can be released whatever happened.
 */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'sqlite') return withTransaction(db, fn);
  return db.connection().execute(async (conn) => {
    try {
      return await conn.transaction().execute(fn);
    } finally {
      await sql`select pg_advisory_unlock_all()`.execute(conn).catch(() => undefined);
    }
  });
}

/** A bus that only records what the batch would publish (published after the commit). */
function collectingBus(bus: Bus, into: Array<[string, unknown]>): Bus {
  return {
    publish: async (topic, event) => { into.push([topic, event]); },
    subscribe: (topic, handler) => bus.subscribe(topic, handler),
    close: async () => undefined,
  };
}

/** Queued inside the transaction (so in commit order), published once it committed; dropped if it did not. */
function appendPublishes(deps: AppDeps, committed: Promise<boolean>, published: Array<[string, unknown]>): void {
  if (published.length === 0) return;
  publishChain = publishChain.then(async () => {
    if (!(await committed)) return;
    for (const [topic, event] of published) {
      await deps.bus.publish(topic, event).catch((err: unknown) => deps.logger.warn({ err }, 'live update not published'));
    }
  });
}

/** A deferred task that fails transiently puts its event back to be applied again (idempotently) later. */
async function runDeferred(deps: AppDeps, d: Deferred, maxAttempts: number): Promise<void> {
  try {
    await d.task(deps);
  } catch (err) {
    const attempts = d.event.attempts + 1;
    const retryable = !(err instanceof CloudApiError) || err.retryable;
    const retryAt = !retryable || attempts >= maxAttempts ? null : deps.now() + backoffMs(attempts, 1000, 300_000, Math.random());
    deps.logger.warn({ err, eventId: d.event.id, attempts }, 'webhook event follow-up failed; will retry');
    await failWebhookEvent(deps.database.db, d.event.id, String((err as Error)?.message ?? err), retryAt, attempts).catch(() => undefined);
  }
}
