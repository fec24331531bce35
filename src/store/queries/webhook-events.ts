// Raw webhook events, stored before Meta gets its 200 and processed later, at least once. The table
// is an append-only log; byte-identical redeliveries are caught in memory by the intake's batcher,
// and every handler is idempotent. Events arrive before we know their workspace, so this system
// queue takes no workspace id.

import { createHash } from 'node:crypto';
import { fromFlag, toFlag } from '../codec.js';
import { dialectOf, type Db } from '../db.js';
import { newId } from '../ids.js';
import { placeholderRows, runRawSql } from '../raw-sql.js';
import type { WebhookEventRow, WebhookEventStatus } from '../rows.js';

export interface WebhookEventRecord {
  id: string;
  receivedAt: number;
  signatureOk: boolean;
  /** The raw body exactly as received. */
  payload: string;
  payloadHash: string;
  status: WebhookEventStatus;
  attempts: number;
  claimedUntil: number | null;
  processedAt: number | null;
  lastError: string | null;
  signerHash: string | null;
}

function toRecord(row: WebhookEventRow): WebhookEventRecord {
  return {
    id: row.id,
    receivedAt: row.received_at,
    signatureOk: fromFlag(row.signature_ok),
    signerHash: row.signer_hash,
    payload: row.payload,
    payloadHash: row.payload_hash,
    status: row.status,
    attempts: row.attempts,
    claimedUntil: row.claimed_until,
    processedAt: row.processed_at,
    lastError: row.last_error,
  };
}

export function hashPayload(payload: string): string {
  return createHash('sha256').update(payload).digest('hex');
}

export interface IncomingEvent {
  payload: string;
  /**
   * A digest that identifies the payload's bytes, for the batcher's redelivery memory: by default
   * hashPayload(payload); the intake passes the verified X-Hub-Signature-256 HMAC, which is as
   * unique per bytes (and per app) and already computed.
   */
  payloadHash?: string;
  signatureOk?: boolean;
  receivedAt?: number;
  /** SHA-256 (hex) of the app secret that verified the signature. */
  signerHash?: string | null;
}

export interface StoredEvent {
  id: string;
  /** False when an identical payload was stored already (in this batch, or recently: see WebhookEventBatcher). */
  inserted: boolean;
}

/** Stores one raw event durably. */
export async function storeWebhookEvent(db: Db, event: IncomingEvent): Promise<StoredEvent> {
  const [stored] = await storeWebhookEvents(db, [event]);
  if (!stored) throw new Error('storeWebhookEvents returned nothing');
  return stored;
}

const INSERT_COLUMNS = ['id', 'received_at', 'signature_ok', 'signer_hash', 'payload', 'payload_hash', 'status', 'attempts'] as const;

const insertSql = (rows: number): string =>
  `insert into webhook_events (${INSERT_COLUMNS.join(', ')}) values ${placeholderRows(rows, `(${INSERT_COLUMNS.map(() => '?').join(', ')})`)}`;

/**
 * Stores many raw events in one statement (group commit for busy intakes; keep batches ≤ 1000);
 * results in input order. The table is an append-only log: an identical payload inside this batch
 * is stored once, one stored earlier is stored again (the handlers are idempotent). The statement
 * is built directly (no query builder): on the intake's hot path, building it per row cost as much
 * as SQLite's write.
 */
export async function storeWebhookEvents(db: Db, events: IncomingEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const now = Date.now();
  const idByHash = new Map<string, string>();
  const params: unknown[] = [];
  const results = events.map((event): StoredEvent => {
    const hash = event.payloadHash ?? hashPayload(event.payload);
    const earlier = idByHash.get(hash);
    if (earlier !== undefined) return { id: earlier, inserted: false };
    const id = newId('evt', now);
    idByHash.set(hash, id);
    params.push(id, event.receivedAt ?? now, toFlag(event.signatureOk ?? true), event.signerHash ?? null, event.payload, hash, 'pending', 0);
    return { id, inserted: true };
  });
  await runRawSql(db, `insert-webhook-events:${idByHash.size}`, () => insertSql(idByHash.size), params);
  return results;
}

/**
 * Claims up to `limit` events to process: pending ones whose retry time has come, and processing
 * ones whose lease ran out (their worker died). Oldest first.
 */
export async function claimWebhookEvents(db: Db, opts: { limit: number; leaseMs: number; now?: number }): Promise<WebhookEventRecord[]> {
  const now = opts.now ?? Date.now();
  const due = db
    .selectFrom('webhook_events')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)])]),
        eb.and([eb('status', '=', 'processing'), eb('claimed_until', '<=', now)]),
      ]),
    )
    .orderBy('received_at')
    .orderBy('id')
    .limit(Math.max(1, Math.trunc(opts.limit)))
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate().skipLocked());
  const rows = await db
    .updateTable('webhook_events')
    .set((eb) => ({ status: 'processing', claimed_until: now + opts.leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(toRecord).sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : 1));
}

export async function completeWebhookEvent(db: Db, eventId: string, now = Date.now()): Promise<void> {
  await db.updateTable('webhook_events').set({ status: 'done', processed_at: now, claimed_until: null, last_error: null }).where('id', '=', eventId).execute();
}

/** Records a processing failure: retried from `retryAt`, or failed for good when retryAt is null. */
export async function failWebhookEvent(db: Db, eventId: string, error: string, retryAt: number | null): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({ status: retryAt === null ? 'failed' : 'pending', claimed_until: retryAt, last_error: error.slice(0, 2000) })
    .where('id', '=', eventId)
    .execute();
}

export async function getWebhookEvent(db: Db, eventId: string): Promise<WebhookEventRecord | undefined> {
  const row = await db.selectFrom('webhook_events').selectAll().where('id', '=', eventId).executeTakeFirst();
  return row && toRecord(row);
}

export async function countWebhookEvents(db: Db, status?: WebhookEventStatus): Promise<number> {
  let query = db.selectFrom('webhook_events').select((eb) => eb.fn.countAll().as('n'));
  if (status !== undefined) query = query.where('status', '=', status);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Deletes events processed before `before` (retention). Returns how many. */
export async function purgeWebhookEvents(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('webhook_events').where('status', '=', 'done').where('processed_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface WebhookEventBatcherOptions {
  /** Most events in one INSERT (default 500). */
  maxBatch?: number;
  /** Batches written at once (default: 1 on SQLite, which has one connection; 4 on PostgreSQL). */
  maxInFlight?: number;
  /**
   * Payload hashes remembered to answer a byte-identical redelivery without a write: the latest
   * half of this at least, all of it at most (default 20,000).
   */
  recentHashes?: number;
}

/**
 * A bounded memory of recent keys in two generations: when the newer one holds `limit / 2`, it
 * becomes the older one and the oldest generation is dropped whole. Evicting the oldest entry of
 * one Map instead (`map.delete(map.keys().next().value)`) cost ≈ 12 µs per insert at 20,000 keys:
 * V8 leaves a deleted entry as a hole that every later iteration from the start skips.
 */
class RecentMap<V> {
  private newer = new Map<string, V>();
  private older = new Map<string, V>();
  private readonly half: number;

  constructor(limit: number) { this.half = Math.max(1, Math.ceil(limit / 2)); }

  get(key: string): V | undefined { return this.newer.get(key) ?? this.older.get(key); }

  set(key: string, value: V): void {
    if (this.newer.size >= this.half) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
  }

  /** Forgets `key` if it is still remembered with this value. */
  forget(key: string, value: V): void {
    if (this.newer.get(key) === value) this.newer.delete(key);
    if (this.older.get(key) === value) this.older.delete(key);
  }
}

interface Waiting {
  event: IncomingEvent & { payloadHash: string };
  /** The promise store() returned, as remembered in `recent`. */
  stored: Promise<StoredEvent>;
  resolve: (stored: StoredEvent) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for a busy intake: events handed in during one turn of the event loop (or while the
 * previous batch is being written) go to the database together, one multi-row INSERT in one
 * transaction; each caller's promise settles only after its batch committed (or failed), so nothing
 * is acknowledged before it is on disk.
 *
 * It also remembers the payload hashes it stored recently (this process, bounded): a byte-identical
 * redelivery — Meta retrying a POST whose 200 it did not see — is answered with the stored event's
 * id and not written again. One that arrives after it was forgotten, or at another process, is
 * stored again and its handlers, being idempotent, change nothing.
 */
export class WebhookEventBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  /** Payload hash → its store (pending or done); undefined when nothing is remembered. */
  private readonly recent: RecentMap<Promise<StoredEvent>> | undefined;

  constructor(private readonly db: Db, opts: WebhookEventBatcherOptions = {}) {
    this.maxBatch = Math.max(1, Math.min(1000, opts.maxBatch ?? 500));
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? (dialectOf(db) === 'postgres' ? 4 : 1));
    const remember = Math.max(0, opts.recentHashes ?? 20_000);
    this.recent = remember > 0 ? new RecentMap(remember) : undefined;
  }

  store(event: IncomingEvent): Promise<StoredEvent> {
    const payloadHash = event.payloadHash ?? hashPayload(event.payload);
    const earlier = this.recent?.get(payloadHash);
    if (earlier) return earlier.then((stored) => ({ id: stored.id, inserted: false }));
    let settle!: Pick<Waiting, 'resolve' | 'reject'>;
    const stored = new Promise<StoredEvent>((resolve, reject) => { settle = { resolve, reject }; });
    this.queue.push({ event: { ...event, payloadHash }, stored, ...settle });
    this.recent?.set(payloadHash, stored);
    this.schedule();
    return stored;
  }

  /** Flushes after the current I/O phase, so requests parsed in the same turn share one write. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      // A failed write is not remembered: the redelivery must be stored.
      const fail = (w: Waiting, err: unknown): void => {
        this.recent?.forget(w.event.payloadHash, w.stored);
        w.reject(err);
      };
      storeWebhookEvents(this.db, batch.map((w) => w.event)).then(
        (results) => batch.forEach((w, i) => {
          const stored = results[i];
          if (stored) w.resolve(stored); else fail(w, new Error('storeWebhookEvents returned fewer results than events'));
        }),
        (err: unknown) => batch.forEach((w) => fail(w, err)),
      ).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }
}
