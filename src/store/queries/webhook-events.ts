// Raw webhook events, stored before Meta gets its 200 and processed later, at least once. The table
// is an append-only log: a redelivery is stored again, and every handler is idempotent. Events
// arrive before we know their workspace, so this system queue takes no workspace id.

import { createHash } from 'node:crypto';
import { fromFlag, toFlag } from '../codec.js';
import { dialectOf, type Db } from '../db.js';
import { newId } from '../ids.js';
import { placeholderRows, powerOfTwoChunks, runRawSql } from '../raw-sql.js';
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

export function hashPayload(payload: string | Buffer): string {
  return createHash('sha256').update(payload).digest('hex');
}

export interface IncomingEvent {
  /**
   * The raw body as text, or its bytes when they are UTF-8 text without NUL (the caller checks): stored
   * as the same text, but on SQLite bound as they are, without decoding to a JS string and encoding
   * back (≈ 1 µs per 1.7 KB body on the intake's event loop).
   */
  payload: string | Buffer;
  /**
   * A digest that identifies the payload's bytes: by default hashPayload(payload); the intake passes
   * the verified X-Hub-Signature-256 HMAC, which is as unique per bytes (and per app) and already
   * computed.
   */
  payloadHash?: string;
  signatureOk?: boolean;
  receivedAt?: number;
  /** SHA-256 (hex) of the app secret that verified the signature. */
  signerHash?: string | null;
}

export interface StoredEvent {
  id: string;
  /** False when an identical payload was stored by the same statement (see storeWebhookEvents). */
  inserted: boolean;
}

/** Stores one raw event durably. */
export async function storeWebhookEvent(db: Db, event: IncomingEvent): Promise<StoredEvent> {
  const [stored] = await storeWebhookEvents(db, [event]);
  if (!stored) throw new Error('storeWebhookEvents returned nothing');
  return stored;
}

const INSERT_COLUMNS = 'id, received_at, signature_ok, signer_hash, payload, payload_hash, status, attempts';

/** New events are pending, never attempted; on SQLite the payload may be bound as bytes and is cast to text. */
const insertSql = (rows: number, dialect: 'sqlite' | 'postgres'): string =>
  `insert into webhook_events (${INSERT_COLUMNS}) values ${placeholderRows(rows, dialect === 'sqlite' ? "(?, ?, ?, ?, cast(? as text), ?, 'pending', 0)" : "(?, ?, ?, ?, ?, ?, 'pending', 0)")}`;

/**
 * Stores many raw events in one statement (group commit for busy intakes; keep batches ≤ 1000);
 * results in input order. The table is an append-only log: an identical payload inside this batch
 * is stored once, one stored earlier is stored again (the handlers are idempotent). The statement
 * is built directly (no query builder): on the intake's hot path, building it per row cost as much
 * as SQLite's write.
 */
export async function storeWebhookEvents(db: Db, events: IncomingEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const dialect = dialectOf(db);
  const now = Date.now();
  const idByHash = new Map<string, string>();
  const params: unknown[] = [];
  const results = events.map((event): StoredEvent => {
    const hash = event.payloadHash ?? hashPayload(event.payload);
    const earlier = idByHash.get(hash);
    if (earlier !== undefined) return { id: earlier, inserted: false };
    const id = newId('evt', now);
    idByHash.set(hash, id);
    const payload = typeof event.payload === 'string' || dialect === 'sqlite' ? event.payload : event.payload.toString('utf8');
    params.push(id, event.receivedAt ?? now, toFlag(event.signatureOk ?? true), event.signerHash ?? null, payload, hash);
    return { id, inserted: true };
  });
  await runRawSql(db, `insert-webhook-events:${idByHash.size}`, () => insertSql(idByHash.size, dialect), params);
  return results;
}

/** Oldest first within each status: both are index range reads in (status, received_at, id) order (migration 0010). */
const claimableSql = (expired: boolean, dialect: 'sqlite' | 'postgres'): string =>
  `select * from webhook_events where ${expired ? "status = 'processing' and claimed_until <= ?" : "status = 'pending' and (claimed_until is null or claimed_until <= ?)"}`
  + ` order by received_at, id limit ?${dialect === 'postgres' ? ' for update skip locked' : ''}`;

/**
 * The oldest `limit` events due for processing — pending ones whose retry time has come, and
 * processing ones whose lease ran out (their worker died) — without changing them. Run it inside a
 * transaction: on PostgreSQL the rows stay locked until it ends, and other workers skip them.
 */
export async function lockClaimableWebhookEvents(db: Db, opts: { limit: number; now: number }): Promise<WebhookEventRecord[]> {
  const dialect = dialectOf(db);
  const limit = Math.max(1, Math.trunc(opts.limit));
  const read = (expired: boolean) =>
    runRawSql<WebhookEventRow>(db, `claimable-webhook-events:${expired}`, () => claimableSql(expired, dialect), [opts.now, limit]);
  const expired = (await read(true)).rows;
  const due = (await read(false)).rows;
  const rows = expired.length === 0 ? due : [...expired, ...due].sort(byAge).slice(0, limit);
  return rows.map(toRecord);
}

const byAge = (a: WebhookEventRow, b: WebhookEventRow): number => a.received_at - b.received_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One statement (atomic on SQLite, whose second connection could not upgrade a read to a write). */
const claimSql = (dialect: 'sqlite' | 'postgres'): string => {
  const due = (expired: boolean) => `select id, received_at from (${claimableSql(expired, dialect)}) ${expired ? 'x' : 'p'}`;
  return `update webhook_events set status = 'processing', claimed_until = ?, attempts = attempts + 1 where id in (`
    + `select id from (${due(true)} union all ${due(false)}) c order by received_at, id limit ?) returning *`;
};

/**
 * Claims up to `limit` events with a lease (status processing until now + leaseMs; a crashed
 * worker's events come back when it runs out). Oldest first.
 */
export async function claimWebhookEvents(db: Db, opts: { limit: number; leaseMs: number; now?: number }): Promise<WebhookEventRecord[]> {
  const now = opts.now ?? Date.now();
  const limit = Math.max(1, Math.trunc(opts.limit));
  const dialect = dialectOf(db);
  const { rows } = await runRawSql<WebhookEventRow>(db, 'claim-webhook-events', () => claimSql(dialect), [now + opts.leaseMs, now, limit, now, limit, limit]);
  return rows.sort(byAge).map(toRecord);
}

export async function completeWebhookEvent(db: Db, eventId: string, now = Date.now()): Promise<void> {
  await completeWebhookEvents(db, [eventId], now);
}

/** Marks events done in one statement per power-of-two chunk (few SQL texts, each prepared once). */
export async function completeWebhookEvents(db: Db, eventIds: readonly string[], now = Date.now()): Promise<void> {
  for (const chunk of powerOfTwoChunks(eventIds)) {
    await runRawSql(db, `complete-webhook-events:${chunk.length}`, () =>
      `update webhook_events set status = 'done', processed_at = ?, claimed_until = null, last_error = null where id in (${placeholderRows(chunk.length, '?')})`,
    [now, ...chunk]);
  }
}

/** Records a processing failure: retried from `retryAt`, or failed for good when retryAt is null. */
export async function failWebhookEvent(db: Db, eventId: string, error: string, retryAt: number | null, attempts?: number): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({
      status: retryAt === null ? 'failed' : 'pending', claimed_until: retryAt, last_error: error.slice(0, 2000),
      ...(attempts === undefined ? {} : { attempts }),
    })
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
}

interface Waiting {
  event: IncomingEvent;
  resolve: (stored: StoredEvent) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for a busy intake: events handed in during one turn of the event loop (or while the
 * previous batch is being written) go to the database together, one multi-row INSERT in one
 * transaction; each caller's promise settles only after its batch committed (or failed), so nothing
 * is acknowledged before it is on disk. Identical payloads in one batch are stored once.
 *
 * It keeps no memory of earlier payloads: a redelivery is stored again, and the handlers, being
 * idempotent (on message ids and status ids, as Meta advises), change nothing. A memory of the last
 * 20,000 payload hashes used to answer byte-identical redeliveries without a write. In perf its Map
 * lookups and the page faults of Maps regrown from empty alone took ≈ 3 % of the intake's event
 * loop, and it kept a promise per webhook alive into the old generation; without it (with two
 * smaller changes) the intake stored ≈ 6 % more webhooks per second (same-process A/B, 8 rounds).
 */
export class WebhookEventBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(private readonly db: Db, opts: WebhookEventBatcherOptions = {}) {
    this.maxBatch = Math.max(1, Math.min(1000, opts.maxBatch ?? 500));
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? (dialectOf(db) === 'postgres' ? 4 : 1));
  }

  store(event: IncomingEvent): Promise<StoredEvent> {
    return new Promise<StoredEvent>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
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
      storeWebhookEvents(this.db, batch.map((w) => w.event)).then(
        (results) => batch.forEach((w, i) => {
          const stored = results[i];
          if (stored) w.resolve(stored); else w.reject(new Error('storeWebhookEvents returned fewer results than events'));
        }),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      ).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }
}
