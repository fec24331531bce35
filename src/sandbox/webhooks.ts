// Webhook delivery: queues changes per destination, batches them into Meta's envelope, signs the
// exact bytes, POSTs with bounded concurrency and retries failures with exponential back-off on the
// sandbox clock (so tests cross hours of retries in milliseconds). Every POST is in state.webhookLog.

import { Agent, request } from 'undici';
import type { MessagesValue, WebhookChange, WebhookEnvelope } from '../cloudapi/wire.js';
import type { SandboxState, WebhookLogEntry } from './state.js';
import { serialiseWebhook, signWebhook } from './webhook-signing.js';

/** Where one WABA's webhooks go: a URL (or none, with the reason) and the secret that signs them. */
interface Destination { url?: string; appId?: string; secret: string; reason?: string }

interface PendingBatch {
  wabaId: string;
  field: string;
  dest: Destination;
  changes: WebhookChange[];
  updates: number;
}

interface Delivery { entry: WebhookLogEntry }

/** POSTs in flight at most; a slow receiver queues work instead of opening sockets without end. */
const MAX_IN_FLIGHT = 16;
const REQUEST_TIMEOUT_MS = 15_000;

export type HandshakeResult = { ok: true } | { ok: false; reason: string };

export class WebhookDispatcher {
  private readonly pending = new Map<string, PendingBatch>();
  private flushTimer: number | undefined;
  private readonly ready: Delivery[] = [];
  private inFlight = 0;
  private readonly retries = new Set<number>();
  private waiters: Array<() => void> = [];
  private closed = false;
  private readonly agent = new Agent({
    keepAliveTimeout: 10_000, connections: MAX_IN_FLIGHT * 2,
    headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS,
  });

  constructor(private readonly state: SandboxState) {}

  /** Queue one change for the WABA's subscribed app callback(s); batching/signing/retries inside. */
  emit(wabaId: string, change: WebhookChange): void {
    if (this.closed) return;
    for (const dest of this.destinationsOf(wabaId)) this.enqueue(wabaId, dest, change);
  }

  /** Resolves when nothing is queued or in flight. Retries waiting on the clock do not count. */
  async idle(): Promise<void> {
    this.state.clock.advance(0); // run whatever is already due (statuses scheduled "now")
    this.flushAll();
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Retries scheduled on the clock and not yet due. */
  pendingRetries(): number {
    return this.retries.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.flushTimer !== undefined) this.state.clock.cancel(this.flushTimer);
    for (const id of this.retries) this.state.clock.cancel(id);
    this.retries.clear();
    this.pending.clear();
    this.ready.length = 0;
    this.resolveWaiters();
    await this.agent.destroy().catch(() => undefined);
  }

  /**
   * Meta's verification handshake: GET url?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…
   * must answer 200 with the challenge as body, or the callback is refused.
   * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
   */
  async verifyCallback(url: string, verifyToken: string): Promise<HandshakeResult> {
    let target: URL;
    try { target = new URL(url); } catch { return { ok: false, reason: 'not a valid URL' }; }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return { ok: false, reason: 'the URL must be http or https' };
    const challenge = this.state.random.digits(10);
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.challenge', challenge);
    target.searchParams.set('hub.verify_token', verifyToken);
    try {
      const res = await request(target, { method: 'GET', headersTimeout: 5_000, bodyTimeout: 5_000 });
      const text = await res.body.text();
      if (res.statusCode !== 200) return { ok: false, reason: `the callback answered HTTP ${res.statusCode}` };
      if (text.trim() !== challenge) return { ok: false, reason: 'the callback did not echo hub.challenge' };
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: `the callback could not be reached: ${(err as Error).message}` };
    }
  }

  /** The WABA's override callback, else each subscribed app's callback, each with its signing secret. */
  private destinationsOf(wabaId: string): Destination[] {
    const waba = this.state.wabas.get(wabaId);
    if (!waba) return [];
    const apps = waba.subscribedApps.map((id) => this.state.apps.get(id)).filter((a) => a !== undefined);
    if (apps.length === 0) return [{ secret: '', reason: 'no subscribed app' }];
    // The override is set by the subscribing app on its subscription, so that app's secret signs it.
    if (waba.overrideCallbackUrl) return [{ url: waba.overrideCallbackUrl, appId: apps[0]!.id, secret: apps[0]!.secret }];
    return apps.map((a) => a.callbackUrl
      ? { url: a.callbackUrl, appId: a.id, secret: a.secret }
      : { appId: a.id, secret: a.secret, reason: 'no callback' });
  }

  private enqueue(wabaId: string, dest: Destination, change: WebhookChange): void {
    const key = `${dest.url ?? ''}|${dest.appId ?? ''}|${wabaId}|${change.field}`;
    let batch = this.pending.get(key);
    if (!batch) {
      batch = { wabaId, field: change.field, dest, changes: [], updates: 0 };
      this.pending.set(key, batch);
    }
    batch.updates += addChange(batch.changes, change);
    if (batch.updates >= this.state.options.webhookBatchMax) {
      this.pending.delete(key);
      this.flushBatch(batch);
      return;
    }
    if (this.flushTimer === undefined) {
      this.flushTimer = this.state.clock.schedule(this.state.options.webhookBatchMs, () => {
        this.flushTimer = undefined;
        this.flushAll();
      });
    }
  }

  private flushAll(): void {
    if (this.flushTimer !== undefined) { this.state.clock.cancel(this.flushTimer); this.flushTimer = undefined; }
    const batches = [...this.pending.values()];
    this.pending.clear();
    if (this.state.options.chaosReorder) shuffle(batches, this.state);
    for (const b of batches) this.flushBatch(b);
    this.notifyIdle();
  }

  /** Serialise once, sign those bytes, log, and hand to the sender (or log why it is not sent). */
  private flushBatch(batch: PendingBatch): void {
    const state = this.state;
    if (state.options.chaosReorder) shuffleUpdates(batch.changes, state);
    const envelope: WebhookEnvelope = {
      object: 'whatsapp_business_account',
      entry: [{
        id: batch.wabaId,
        // `time` accompanies every field except messages (statuses and inbound carry timestamps).
        ...(batch.field !== 'messages' ? { time: state.clock.nowSeconds() } : {}),
        changes: batch.changes,
      }],
    };
    const body = serialiseWebhook(envelope);
    const entry = this.logEntry(batch, body);
    if (!batch.dest.url) {
      entry.reason = batch.dest.reason ?? 'no callback';
      return;
    }
    this.ready.push({ entry });
    if (state.options.chaosDuplicateRate > 0 && state.random.chance(state.options.chaosDuplicateRate)) {
      const twin = this.logEntry(batch, body);
      twin.duplicateOf = entry.seq;
      this.ready.push({ entry: twin });
    }
    this.pump();
  }

  private logEntry(batch: PendingBatch, body: string): WebhookLogEntry {
    const state = this.state;
    const entry: WebhookLogEntry = {
      seq: state.nextSeq(), at: state.clock.now(), url: batch.dest.url ?? '', body,
      signature: signWebhook(batch.dest.secret, body), attempts: [], delivered: false,
      field: batch.field, wabaId: batch.wabaId, ...(batch.dest.appId ? { appId: batch.dest.appId } : {}),
    };
    state.webhookLog.push(entry);
    trimLog(state.webhookLog, state.options.logLimit);
    return entry;
  }

  private pump(): void {
    while (!this.closed && this.inFlight < MAX_IN_FLIGHT && this.ready.length > 0) {
      const pick = this.state.options.chaosReorder ? this.state.random.int(0, this.ready.length - 1) : 0;
      const delivery = pick === 0 ? this.ready.shift()! : this.ready.splice(pick, 1)[0]!;
      this.inFlight += 1;
      void this.post(delivery).finally(() => {
        this.inFlight -= 1;
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private async post(delivery: Delivery): Promise<void> {
    const { entry } = delivery;
    const at = this.state.clock.now();
    try {
      const res = await request(entry.url, {
        method: 'POST', body: entry.body, dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': entry.signature },
      });
      await res.body.dump();
      entry.attempts.push({ at, status: res.statusCode });
      // Meta counts anything but 200 as a failed delivery.
      if (res.statusCode === 200) { entry.delivered = true; delete entry.reason; return; }
    } catch (err) {
      entry.attempts.push({ at, error: (err as Error).message || 'network error' });
    }
    this.scheduleRetry(delivery);
  }

  /**
   * Exponential back-off (base, doubling) until `webhookRetryMaxAgeMs` after the first attempt;
   * Meta retries failed deliveries "with decreasing frequency" for up to 36 hours.
   * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks
   */
  private scheduleRetry(delivery: Delivery): void {
    if (this.closed) return;
    const { entry } = delivery;
    const { webhookRetryBaseMs: base, webhookRetryMaxAgeMs: maxAge } = this.state.options;
    const attempts = entry.attempts.length;
    const delay = base * 2 ** (attempts - 1);
    const firstAt = entry.attempts[0]?.at ?? this.state.clock.now();
    if (this.state.clock.now() + delay - firstAt > maxAge) {
      entry.reason = `gave up after ${attempts} attempts`;
      return;
    }
    entry.reason = `retrying in ${Math.round(delay / 1000)} s`;
    const id = this.state.clock.schedule(delay, () => {
      this.retries.delete(id);
      if (this.closed) return;
      this.ready.push(delivery);
      this.pump();
    });
    this.retries.add(id);
  }

  private isIdle(): boolean {
    return this.pending.size === 0 && this.ready.length === 0 && this.inFlight === 0;
  }

  private notifyIdle(): void {
    if (this.waiters.length > 0 && (this.closed || this.isIdle())) this.resolveWaiters();
  }

  private resolveWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Adds a change to a batch. Statuses for the same number join the previous change's `statuses`
 * (Meta batches several updates per value); anything else becomes another change. Returns the
 * number of updates added.
 */
function addChange(changes: WebhookChange[], change: WebhookChange): number {
  const value = change.value as Partial<MessagesValue>;
  const last = changes[changes.length - 1];
  const lastValue = last?.value as Partial<MessagesValue> | undefined;
  if (value.statuses && lastValue?.statuses && last?.field === change.field
    && lastValue.metadata?.phone_number_id === value.metadata?.phone_number_id) {
    lastValue.statuses.push(...value.statuses);
    return value.statuses.length;
  }
  // Copy the statuses array so later merges never touch the caller's object.
  changes.push(value.statuses ? { field: change.field, value: { ...value, statuses: [...value.statuses] } } : change);
  return value.statuses?.length ?? value.messages?.length ?? 1;
}

function shuffle<T>(items: T[], state: SandboxState): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = state.random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** Chaos reorder inside a batch: the changes, and the statuses within each change. */
function shuffleUpdates(changes: WebhookChange[], state: SandboxState): void {
  shuffle(changes, state);
  for (const c of changes) {
    const statuses = (c.value as Partial<MessagesValue>).statuses;
    if (statuses) shuffle(statuses, state);
  }
}

/** Keeps the log near its limit without shifting the array on every push. */
function trimLog(log: WebhookLogEntry[], limit: number): void {
  if (log.length > limit + Math.max(100, limit / 10)) log.splice(0, log.length - limit);
}
