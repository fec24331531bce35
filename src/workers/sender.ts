// The sender: claims outbox rows, paces them through the number's throughput bucket and the
// recipient's pair-rate bucket, calls the Cloud API, and records the outcome — sent with its wamid,
// retried with back-off on throttling / 5xx / network errors, or failed with Meta's code and title.
// Crash safety: a claimed batch is deferred by `reconcileMs` (and leased for longer); if the process
// dies mid-call, a row only comes back after that grace, and by then a status webhook carrying our id
// in biz_opaque_callback_data has usually reconciled the message, so it is not sent twice.
// Throughput: per batch one claim (which also marks the rows in flight) and one read of the messages;
// the call slots are shared across batches, so the next batch is claimed while calls are still out;
// successful sends are recorded by group commit (one transaction for the sends that finish together).
// Lanes: replies, automation and single sends (LANE_REPLY) go before campaigns — claimed first, a
// loop of their own that claims them while the main loop is still starting a campaign batch, served
// first by the call slots, and first to a number's throughput tokens.

import { CloudApiError } from '../cloudapi/graph-codes.js';
import { toSendMessageRequest } from '../core/outbound.js';
import { PAIR_RATE, senderThroughputBucket } from '../core/rate.js';
import type { OutboundContent } from '../core/message-content.js';
import type { AppDeps } from '../http/deps.js';
import { withTransaction } from '../store/db.js';
import { LANE_REPLY } from '../store/queries/outbound-batch.js';
import type { MessageRecord } from '../store/queries/messages.js';
import { applyStatus } from '../store/queries/message-statuses.js';
import {
  markOutboxInFlight, claimOutbox, completeOutbox, hasUnprocessedWebhookFor, completeSentBatch, deferOutbox, getOutboxMessages,
  type OutboxItem, type SentRecord, type SentState,
} from '../store/queries/outbox.js';
import { InboxCache } from '../services/inbox-cache.js';
import { backoffMs, pairRateRetryMs } from '../core/backoff.js';
import { publishMessage } from '../services/live.js';
import { PollingLoop } from './polling-loop.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface SenderOptions {
  owner: string;
  concurrency: number;
  pollMs: number;
  /** Lease on a claimed row; longer than a Cloud API call can take. */
  leaseMs: number;
  /** How long a row whose send may have reached Meta waits for a reconciling webhook. */
  reconcileMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export class Sender {
  private readonly loop: PollingLoop;
  /** Claims reply-lane rows only, so a reply never waits for the rest of a campaign batch to start. */
  private readonly replyLoop: PollingLoop;
  /** Reply-lane rows waiting for a throughput token, per number: campaign rows of that number let them go first. */
  private readonly repliesPacing = new Map<string, number>();
  private readonly inboxes: InboxCache;
  private readonly sent: SentRecorder;
  /** Outbox rows whose Cloud API call has started in this claim: a failure from here on is ambiguous. */
  private readonly calling = new Set<string>();
  /** Rows whose call was answered but whose outcome is still being recorded (they stay leased to us). */
  private readonly settling = new Set<Promise<void>>();
  private stopping = false;
  /** Cloud API call slots, shared by successive batches. */
  private readonly slots: Slots;

  constructor(private readonly deps: AppDeps, private readonly opts: SenderOptions) {
    this.slots = new Slots(opts.concurrency);
    this.inboxes = new InboxCache(deps);
    this.sent = new SentRecorder(deps, opts.owner);
    this.loop = new PollingLoop('sender', () => this.runOnce(), opts.pollMs, deps.logger);
    this.replyLoop = new PollingLoop('sender-replies', () => this.runOnce(LANE_REPLY), opts.pollMs, deps.logger);
  }

  start(): void {
    this.loop.start();
    this.replyLoop.start();
  }
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.loop.stop(), this.replyLoop.stop()]);
    await Promise.all(this.settling);
  }
  /** Nudges idle loops (a message was just queued in this process). */
  notify(): void {
    this.loop.notify();
    this.replyLoop.notify();
  }

  /**
   * Claims one batch and starts its rows as call slots free up (at most `concurrency` calls at once
   * across batches); returns how many rows it claimed once the last of them has started.
   */
  async runOnce(maxPriority?: number): Promise<number> {
    const { db } = this.deps.database;
    const now = this.deps.now();
    // The whole batch is marked in flight as it is claimed; the lease (longer than the grace) covers it anyway.
    const items = await claimOutbox(db, {
      owner: this.opts.owner, limit: maxPriority === undefined ? this.opts.concurrency * 4 : this.opts.concurrency,
      leaseMs: this.opts.leaseMs, now, inFlightUntil: now + this.opts.reconcileMs, ...(maxPriority !== undefined ? { maxPriority } : {}),
    });
    if (items.length === 0) return 0;
    const messages = await getOutboxMessages(db, items);
    for (const item of items) {
      // A slot is a Cloud API call: it frees once Meta answered; recording the result (group
      // commit) finishes in the background (the row stays leased to us; stop() waits for it). The
      // step returns once its last row holds a slot, so the next batch is claimed while this one's
      // calls are still out: the slots never run dry between batches.
      await this.slots.acquire(item.priority <= LANE_REPLY);
      const slot = this.slots.holder();
      const settled = this.settle(item, messages.get(item.messageId), slot).finally(() => {
        slot();
        this.settling.delete(settled);
      });
      this.settling.add(settled);
    }
    return items.length;
  }

  /** Never rejects: whatever fails here is logged, and the row's lease brings it back if need be. */
  private async settle(item: OutboxItem, message: MessageRecord | undefined, answered: () => void): Promise<void> {
    try {
      await this.process(item, message, answered);
    } catch (err) {
      await this.recover(item, message, err).catch((again: unknown) => {
        this.deps.logger.error({ err: again, outboxId: item.id }, 'could not record a send failure; the lease will bring the row back');
      });
    } finally {
      this.calling.delete(item.id);
    }
  }

  /**
   * After an unexpected failure (database, a broken inbox): retry with back-off — waiting for a
   * reconciling webhook if the call had started — or, once attempts are spent and Meta was never
   * called, fail the message instead of keeping it queued forever.
   */
  private async recover(item: OutboxItem, message: MessageRecord | undefined, err: unknown): Promise<void> {
    const called = this.calling.has(item.id);
    if (!called && message && item.attempts >= this.opts.maxAttempts) {
      this.deps.logger.error({ err, outboxId: item.id }, 'sending failed on every attempt; message failed');
      await this.fail(item, message.id, { code: null, title: 'Not sent', details: String((err as Error)?.message ?? err) });
      return;
    }
    this.deps.logger.error({ err, outboxId: item.id }, 'sending failed unexpectedly; will retry');
    await this.retryLater(item, this.retryWait(this.backoff(item.attempts), called), true);
  }

  private async process(item: OutboxItem, message: MessageRecord | undefined, answered: () => void): Promise<void> {
    const { db } = this.deps.database;
    // Already settled (a webhook reconciled it after a crash, or it failed): nothing to send.
    if (!message || message.status !== 'queued') {
      await completeOutbox(db, item.workspaceId, item.id, this.opts.owner);
      return;
    }
    // Claimed before (that sender may have died mid-call) and named by a stored webhook still
    // unprocessed: that webhook settles the message; sending now could send it twice.
    if (item.attempts > 1 && await hasUnprocessedWebhookFor(db, message.id)) {
      await this.retryLater(item, Math.max(1000, this.opts.reconcileMs), false);
      return;
    }
    const inbox = await this.inboxes.get(item.workspaceId, item.inboxId);
    const pairWaitMs = await this.pace(inbox.phoneNumberId, inbox.throughputMps, item.recipient, item.priority <= LANE_REPLY);
    if (pairWaitMs > 0) {
      await this.retryLater(item, pairWaitMs, false);
      return;
    }
    // A slow batch (pacing at a low rate) may outlive half its lease: renew it, or — if another
    // sender took the row meanwhile — leave the message to that sender.
    if (!(await this.holdLease(item))) return;
    const request = toSendMessageRequest({
      id: message.id, to: item.recipient, content: message.content as OutboundContent,
      ...(message.replyToWamid ? { replyToWamid: message.replyToWamid } : {}),
    });
    this.calling.add(item.id);
    try {
      const response = await this.deps.cloudApi.sendMessage(inbox.phoneNumberId, request, { accessToken: inbox.accessToken });
      answered();
      const updated = await this.sent.record(item, message, response.messages[0]?.id, this.deps.now());
      this.deps.metrics.messagesSent.inc({ outcome: 'sent' });
      if (updated) await publishMessage(this.deps, updated);
    } catch (err) {
      await this.handleFailure(item, message.id, err);
    }
  }

  private async holdLease(item: OutboxItem): Promise<boolean> {
    const now = this.deps.now();
    if (item.claimedUntil !== null && now < item.claimedUntil - this.opts.leaseMs / 2) return true;
    const renewed = await markOutboxInFlight(this.deps.database.db, item.workspaceId, item.id, this.opts.owner, now + this.opts.reconcileMs, now + this.opts.leaseMs);
    if (!renewed) this.deps.logger.warn({ outboxId: item.id }, 'outbox lease lost to another sender; not sending');
    return renewed;
  }

  /**
   * Takes a throughput token and a pair-rate token together. A throughput refusal is a wait of
   * milliseconds, slept here so the number runs at its rate; a pair-rate refusal can be minutes, so
   * it is returned (ms) and the row is deferred in the outbox instead.
   */
  private async pace(phoneNumberId: string, mps: number, recipient: string, reply: boolean): Promise<number> {
    if (!reply) return this.paceAfterReplies(phoneNumberId, mps, recipient);
    this.repliesPacing.set(phoneNumberId, (this.repliesPacing.get(phoneNumberId) ?? 0) + 1);
    try {
      return await this.takeTokens(phoneNumberId, mps, recipient);
    } finally {
      const left = (this.repliesPacing.get(phoneNumberId) ?? 1) - 1;
      if (left > 0) this.repliesPacing.set(phoneNumberId, left); else this.repliesPacing.delete(phoneNumberId);
    }
  }

  /** A campaign row waits while reply-lane rows of its number wait for a token (they are few and brief). */
  private async paceAfterReplies(phoneNumberId: string, mps: number, recipient: string): Promise<number> {
    while (this.repliesPacing.has(phoneNumberId) && !this.stopping) await sleep(1);
    return this.takeTokens(phoneNumberId, mps, recipient);
  }

  private async takeTokens(phoneNumberId: string, mps: number, recipient: string): Promise<number> {
    for (;;) {
      const outcome = await this.deps.limiter.takeAll([
        { key: `tp:${phoneNumberId}`, ...senderThroughputBucket(mps) },
        { key: `pair:${phoneNumberId}:${recipient}`, ...PAIR_RATE },
      ]);
      if (outcome.ok) return 0;
      const [throughput, pair] = outcome.buckets;
      if (pair && !pair.ok) return pair.retryAfterMs;
      if (this.stopping) return throughput?.retryAfterMs ?? 1;
      await sleep(Math.max(1, throughput?.retryAfterMs ?? 1));
    }
  }

  private async handleFailure(item: OutboxItem, messageId: string, err: unknown): Promise<void> {
    if (!(err instanceof CloudApiError)) throw err;
    if (err.retryable && item.attempts < this.opts.maxAttempts) {
      // Meta's advice for the pair rate is 4^X seconds; other throttling uses our exponential back-off.
      const backoff = Math.max(err.retryAfterMs ?? 0, err.code === 131056 ? pairRateRetryMs(item.attempts) : this.backoff(item.attempts));
      // A cut connection or a 5xx may come after Meta accepted the message: wait for its webhook.
      const wait = this.retryWait(backoff, err.ambiguous || (err.httpStatus ?? 0) >= 500);
      this.deps.logger.info({ outboxId: item.id, code: err.code, wait }, 'send throttled or failed transiently; retrying');
      this.deps.metrics.messagesSent.inc({ outcome: 'retried' });
      await this.retryLater(item, wait, true);
      return;
    }
    await this.fail(item, messageId, { code: err.code ?? null, title: err.title, details: err.details ?? err.message });
  }

  private async fail(item: OutboxItem, messageId: string, error: { code: number | null; title: string; details: string }): Promise<void> {
    const { db } = this.deps.database;
    const now = this.deps.now();
    this.deps.metrics.messagesSent.inc({ outcome: 'failed' });
    const updated = await applyStatus(db, item.workspaceId, messageId, { status: 'failed', failedAt: now, now, error });
    await completeOutbox(db, item.workspaceId, item.id, this.opts.owner);
    if (updated) await publishMessage(this.deps, updated);
  }

  /**
   * A retry of a send that may have reached Meta waits at least `reconcileMs`, like a crash mid-call:
   * its status webhook (our id in biz_opaque_callback_data) settles the message first, and the retry
   * then finds it no longer queued instead of sending it twice.
   */
  private retryWait(backoffMs: number, mayHaveSent: boolean): number {
    return mayHaveSent ? Math.max(backoffMs, this.opts.reconcileMs) : backoffMs;
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt, this.opts.retryBaseMs, this.opts.retryMaxMs, Math.random());
  }

  private async retryLater(item: OutboxItem, waitMs: number, countsAsAttempt: boolean): Promise<void> {
    const notBefore = this.deps.now() + Math.max(1, Math.ceil(waitMs));
    await deferOutbox(this.deps.database.db, item.workspaceId, item.id, this.opts.owner, notBefore, countsAsAttempt);
  }
}

/** A counting semaphore: `concurrency` slots; urgent waiters (reply lane) first, then first come, first served. */
class Slots {
  private readonly waiters: Array<() => void> = [];
  private readonly urgent: Array<() => void> = [];

  constructor(private free: number) {}

  acquire(urgent = false): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => (urgent ? this.urgent : this.waiters).push(resolve));
  }

  /** A release function for one acquired slot that frees it once, however often it is called. */
  holder(): () => void {
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const next = this.urgent.shift() ?? this.waiters.shift();
      if (next) next(); else this.free++;
    };
  }
}

const MAX_SENT_BATCH = 500;
const GATHER_MS = 25;

interface SentResult {
  item: OutboxItem;
  /** The message as read before sending; its new delivery state is merged on for live updates. */
  message: MessageRecord;
  wamid: string | undefined;
  at: number;
  resolve: (updated: MessageRecord | undefined) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of successful sends: results that arrive in one turn of the event loop are written in
 * one transaction (the messages marked sent with their wamids, their outbox rows deleted together);
 * each caller resumes once that transaction committed.
 */
class SentRecorder {
  private queue: SentResult[] = [];
  private inFlight = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly maxInFlight: number;

  constructor(private readonly deps: AppDeps, private readonly owner: string) {
    this.maxInFlight = deps.database.dialect === 'postgres' ? 4 : 1;
  }

  record(item: OutboxItem, message: MessageRecord, wamid: string | undefined, at: number): Promise<MessageRecord | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, message, wamid, at, resolve, reject });
      this.schedule();
    });
  }

  /**
   * A full batch is written after this turn; a small one waits up to GATHER_MS for more results (the
   * sender's call slots are already free, so only the commit is later): fewer, larger commits.
   */
  private schedule(): void {
    if (this.inFlight >= this.maxInFlight) return;
    if (this.queue.length >= MAX_SENT_BATCH) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => { this.scheduled = false; this.drain(); });
      }
      return;
    }
    this.timer ??= setTimeout(() => { this.timer = undefined; this.drain(); }, GATHER_MS);
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) void this.flush(this.queue.splice(0, MAX_SENT_BATCH));
  }

  private async flush(batch: SentResult[]): Promise<void> {
    this.inFlight++;
    try {
      const byWorkspace = new Map<string, SentRecord[]>();
      for (const r of batch) {
        const list = byWorkspace.get(r.item.workspaceId) ?? [];
        list.push({ outboxId: r.item.id, messageId: r.item.messageId, wamid: r.wamid, sentAt: r.at });
        byWorkspace.set(r.item.workspaceId, list);
      }
      const updated = await withTransaction(this.deps.database.db, async (trx) => {
        const states = new Map<string, SentState>();
        for (const [workspaceId, sends] of byWorkspace) {
          for (const [id, state] of await completeSentBatch(trx, workspaceId, this.owner, sends)) states.set(id, state);
        }
        return states;
      });
      for (const r of batch) {
        const state = updated.get(r.item.messageId);
        r.resolve(state ? { ...r.message, ...state } : undefined);
      }
    } catch (err) {
      batch.forEach((r) => r.reject(err));
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
