// Monotonic merge of an outbound message's delivery status: webhooks arrive out of order and twice,
// and the result must not depend on the order. https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status

/** Parley's outbound statuses: local (pending, queued) then Meta's (sent … played, failed). */
export type MessageStatus = 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'played' | 'failed';

/** Statuses a status webhook can carry. */
export type WebhookStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

const RANK: Readonly<Record<Exclude<MessageStatus, 'failed'>, number>> = {
  pending: 0, queued: 1, sent: 2, delivered: 3, read: 4, played: 5,
};

export interface StatusTimestamps {
  sentAt?: number | null;
  deliveredAt?: number | null;
  readAt?: number | null;
  playedAt?: number | null;
  failedAt?: number | null;
}

export interface StatusMergeResult {
  status: MessageStatus;
  /** True when the status or any timestamp changes (the caller writes only then). */
  changed: boolean;
  /** Timestamps to set; absent keys stay as they are. */
  set: StatusTimestamps;
  /** True when this webhook's failure is the one to record (code, title) with the message. */
  recordFailure: boolean;
}

const FIELD: Readonly<Record<WebhookStatus, keyof StatusTimestamps>> = {
  sent: 'sentAt', delivered: 'deliveredAt', read: 'readAt', played: 'playedAt', failed: 'failedAt',
};

/** Lower states implied by a higher one: a read message was delivered, a delivered one was sent. */
const IMPLIES: Readonly<Record<WebhookStatus, readonly WebhookStatus[]>> = {
  sent: [], delivered: ['sent'], read: ['delivered', 'sent'], played: ['read', 'delivered', 'sent'], failed: [],
};

function unchanged(status: MessageStatus): StatusMergeResult {
  return { status, changed: false, set: {}, recordFailure: false };
}

/**
 * Merge one status webhook into the stored state.
 * - Ranks pending < queued < sent < delivered < read < played; the status only moves up.
 * - A higher status fills the timestamps of the states it implies when missing (read implies
 *   delivered and sent), so a late `sent` or `delivered` after `read` changes nothing.
 * - `failed` is final: nothing moves a failed message. A `failed` after `delivered`/`read`/`played`
 *   is ignored: the device already acknowledged the message, so Meta cannot fail it (keep read).
 * - Duplicates change nothing; the earliest timestamp seen for a state wins, whatever the order.
 */
export function mergeStatus(
  current: { status: MessageStatus; timestamps: StatusTimestamps },
  incoming: { status: WebhookStatus; at: number },
): StatusMergeResult {
  if (current.status === 'failed') return unchanged('failed');
  if (incoming.status === 'failed') {
    if (RANK[current.status] >= RANK.delivered) return unchanged(current.status);
    return { status: 'failed', changed: true, set: { failedAt: incoming.at }, recordFailure: true };
  }
  const set: StatusTimestamps = {};
  for (const s of [incoming.status, ...IMPLIES[incoming.status]]) {
    const field = FIELD[s];
    // The earliest time seen for a state wins, so a `read` that arrived first (implying delivered
    // at its own time) is corrected by the real, earlier `delivered` arriving after it.
    const known = current.timestamps[field];
    if (known == null || incoming.at < known) set[field] = incoming.at;
  }
  const moves = RANK[incoming.status] > RANK[current.status];
  const status = moves ? incoming.status : current.status;
  return { status, changed: moves || Object.keys(set).length > 0, set, recordFailure: false };
}

/** Apply a merge result to a state (handy for folding many webhooks, e.g. in tests and replays). */
export function applyStatus(
  current: { status: MessageStatus; timestamps: StatusTimestamps },
  incoming: { status: WebhookStatus; at: number },
): { status: MessageStatus; timestamps: StatusTimestamps } {
  const result = mergeStatus(current, incoming);
  return { status: result.status, timestamps: { ...current.timestamps, ...result.set } };
}

/** No further webhook will move it, except `played` after `read` for a voice message. */
export function isFinalStatus(status: MessageStatus): boolean {
  return status === 'failed' || status === 'read' || status === 'played';
}
