// The sender: claims outbox rows, paces them through the number's throughput bucket and the
// recipient's pair-rate bucket, calls the Cloud API, and records the outcome — sent with its wamid,
// retried with back-off on throttling / 5xx / network errors, or failed with Meta's code and title.
// Crash safety: before each call the row is deferred by `reconcileMs`; if the process dies mid-call,
// the row only comes back after that grace, and by then a status webhook carrying our id in
// biz_opaque_callback_data has usually reconciled the message, so it is not sent twice.

import { CloudApiError } from '../cloudapi/graph-codes.js';
import { toSendMessageRequest } from '../core/outbound.js';
import { PAIR_RATE, throughputBucket } from '../core/rate.js';
import type { OutboundContent } from '../core/message-content.js';
import type { AppDeps } from '../http/deps.js';
import { getMessage } from '../store/queries/messages.js';
import { applyStatus } from '../store/queries/message-statuses.js';
import {
  claimOutbox, completeOutbox, deferOutbox, markOutboxInFlight, type OutboxItem,
} from '../store/queries/outbox.js';
import { InboxCache } from '../services/inbox-cache.js';
import { backoffMs } from '../core/backoff.js';
import { publishMessage } from '../services/live.js';
import { PollingLoop } from './polling-loop.js';

/**
 * Our bucket runs at the number's full rate but with a tenth of a second of burst, where Meta's
 * bucket holds a whole second: requests that bunch up on the network then still fit Meta's bucket,
 * so pacing never earns a 130429. https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput
 */
function senderThroughput(mps: number): { ratePerSec: number; burst: number } {
  const { ratePerSec } = throughputBucket(mps);
  return { ratePerSec, burst: Math.max(1, Math.floor(ratePerSec / 10)) };
}

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
  private readonly inboxes: InboxCache;
  private stopping = false;

  constructor(private readonly deps: AppDeps, private readonly opts: SenderOptions) {
    this.inboxes = new InboxCache(deps);
    this.loop = new PollingLoop('sender', () => this.runOnce(), opts.pollMs, deps.logger);
  }

  start(): void { this.loop.start(); }
  stop(): Promise<void> { this.stopping = true; return this.loop.stop(); }
  /** Nudges an idle loop (a message was just queued in this process). */
  notify(): void { this.loop.notify(); }

  /** Claims one batch and processes it with bounded concurrency; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    const items = await claimOutbox(this.deps.database.db, {
      owner: this.opts.owner, limit: this.opts.concurrency * 4, leaseMs: this.opts.leaseMs, now: this.deps.now(),
    });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++]!;
        try {
          await this.process(item);
        } catch (err) {
          this.deps.logger.error({ err, outboxId: item.id }, 'sending failed unexpectedly; will retry');
          await this.retryLater(item, this.backoff(item.attempts), true);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, items.length) }, worker));
    return items.length;
  }

  private async process(item: OutboxItem): Promise<void> {
    const { db } = this.deps.database;
    const message = await getMessage(db, item.workspaceId, item.messageId);
    // Already settled (a webhook reconciled it after a crash, or it failed): nothing to send.
    if (!message || message.status !== 'queued') {
      await completeOutbox(db, item.workspaceId, item.id, this.opts.owner);
      return;
    }
    const inbox = await this.inboxes.get(item.workspaceId, item.inboxId);
    const pairWaitMs = await this.pace(inbox.phoneNumberId, inbox.throughputMps, item.recipient);
    if (pairWaitMs > 0) {
      await this.retryLater(item, pairWaitMs, false);
      return;
    }
    const request = toSendMessageRequest({
      id: message.id, to: item.recipient, content: message.content as OutboundContent,
      ...(message.replyToWamid ? { replyToWamid: message.replyToWamid } : {}),
    });
    await markOutboxInFlight(db, item.workspaceId, item.id, this.opts.owner, this.deps.now() + this.opts.reconcileMs);
    try {
      const response = await this.deps.cloudApi.sendMessage(inbox.phoneNumberId, request, { accessToken: inbox.accessToken });
      const wamid = response.messages[0]?.id;
      const updated = await applyStatus(db, item.workspaceId, message.id, { status: 'sent', ...(wamid ? { wamid } : {}), sentAt: this.deps.now(), now: this.deps.now() });
      await completeOutbox(db, item.workspaceId, item.id, this.opts.owner);
      if (updated) await publishMessage(this.deps, updated);
    } catch (err) {
      await this.handleFailure(item, message.id, err);
    }
  }

  /**
   * Takes a throughput token and a pair-rate token together. A throughput refusal is a wait of
   * milliseconds, slept here so the number runs at its rate; a pair-rate refusal can be minutes, so
   * it is returned (ms) and the row is deferred in the outbox instead.
   */
  private async pace(phoneNumberId: string, mps: number, recipient: string): Promise<number> {
    for (;;) {
      const outcome = await this.deps.limiter.takeAll([
        { key: `tp:${phoneNumberId}`, ...senderThroughput(mps) },
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
      const wait = Math.max(err.retryAfterMs ?? 0, err.code === 131056 ? 4 ** Math.min(item.attempts, 6) * 1000 : this.backoff(item.attempts));
      this.deps.logger.info({ outboxId: item.id, code: err.code, wait }, 'send throttled or failed transiently; retrying');
      await this.retryLater(item, wait, true);
      return;
    }
    const { db } = this.deps.database;
    const now = this.deps.now();
    const updated = await applyStatus(db, item.workspaceId, messageId, {
      status: 'failed', failedAt: now, now,
      error: { code: err.code ?? null, title: err.title, details: err.details ?? err.message },
    });
    await completeOutbox(db, item.workspaceId, item.id, this.opts.owner);
    if (updated) await publishMessage(this.deps, updated);
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt, this.opts.retryBaseMs, this.opts.retryMaxMs, Math.random());
  }

  private async retryLater(item: OutboxItem, waitMs: number, countsAsAttempt: boolean): Promise<void> {
    const notBefore = this.deps.now() + Math.max(1, Math.ceil(waitMs));
    await deferOutbox(this.deps.database.db, item.workspaceId, item.id, this.opts.owner, notBefore, countsAsAttempt);
  }
}
