import { describe, expect, it } from 'vitest';
import { applyStatus, isFinalStatus, mergeStatus, type MessageStatus, type StatusTimestamps, type WebhookStatus } from './statuses.js';

const T = 1_750_000_000_000;
const AT: Record<WebhookStatus, number> = { sent: T + 1000, delivered: T + 2000, read: T + 3000, played: T + 4000, failed: T + 5000 };

function fold(order: WebhookStatus[], start: MessageStatus = 'queued') {
  let state: { status: MessageStatus; timestamps: StatusTimestamps } = { status: start, timestamps: {} };
  for (const s of order) state = applyStatus(state, { status: s, at: AT[s] });
  return state;
}

describe('mergeStatus transitions', () => {
  it.each([
    // [current, timestamps, incoming, status, set, changed]
    ['queued', {}, 'sent', 'sent', { sentAt: AT.sent }, true],
    ['pending', {}, 'sent', 'sent', { sentAt: AT.sent }, true],
    ['sent', { sentAt: AT.sent }, 'delivered', 'delivered', { deliveredAt: AT.delivered }, true],
    ['delivered', { sentAt: AT.sent, deliveredAt: AT.delivered }, 'read', 'read', { readAt: AT.read }, true],
    ['queued', {}, 'read', 'read', { readAt: AT.read, deliveredAt: AT.read, sentAt: AT.read }, true],
    ['sent', { sentAt: AT.sent }, 'read', 'read', { readAt: AT.read, deliveredAt: AT.read }, true],
    // A late, earlier `sent` / `delivered` corrects the times a first-arriving `read` implied; the status stays read.
    ['read', { sentAt: AT.read, deliveredAt: AT.read, readAt: AT.read }, 'sent', 'read', { sentAt: AT.sent }, true],
    ['read', { sentAt: AT.read, deliveredAt: AT.read, readAt: AT.read }, 'delivered', 'read', { deliveredAt: AT.delivered, sentAt: AT.delivered }, true],
    ['read', { sentAt: AT.sent, deliveredAt: AT.delivered, readAt: AT.read }, 'delivered', 'read', {}, false],
    ['delivered', { sentAt: AT.sent, deliveredAt: AT.delivered }, 'sent', 'delivered', {}, false],
    ['sent', { sentAt: AT.sent }, 'sent', 'sent', {}, false],
    ['read', { sentAt: 1, deliveredAt: 2, readAt: 3 }, 'played', 'played', { playedAt: AT.played }, true],
    ['queued', {}, 'failed', 'failed', { failedAt: AT.failed }, true],
    ['sent', { sentAt: AT.sent }, 'failed', 'failed', { failedAt: AT.failed }, true],
    ['delivered', { sentAt: 1, deliveredAt: 2 }, 'failed', 'delivered', {}, false],
    ['read', { sentAt: 1, deliveredAt: 2, readAt: 3 }, 'failed', 'read', {}, false],
    ['failed', { failedAt: 5 }, 'sent', 'failed', {}, false],
    ['failed', { failedAt: 5 }, 'read', 'failed', {}, false],
    ['failed', { failedAt: 5 }, 'failed', 'failed', {}, false],
  ] as const)('%s + %s → %s', (status, timestamps, incoming, expected, set, changed) => {
    const result = mergeStatus({ status, timestamps }, { status: incoming, at: AT[incoming] });
    expect(result.status).toBe(expected);
    expect(result.set).toEqual(set);
    expect(result.changed).toBe(changed);
    expect(result.recordFailure).toBe(expected === 'failed' && changed);
  });

  it('a status moving up with all timestamps known still reports a change', () => {
    const r = mergeStatus({ status: 'sent', timestamps: { sentAt: 1, deliveredAt: 2 } }, { status: 'delivered', at: 9 });
    expect(r).toEqual({ status: 'delivered', changed: true, set: {}, recordFailure: false });
  });
});

describe('every order of arrival ends as read', () => {
  const permutations: WebhookStatus[][] = [
    ['sent', 'delivered', 'read'], ['sent', 'read', 'delivered'], ['delivered', 'sent', 'read'],
    ['delivered', 'read', 'sent'], ['read', 'sent', 'delivered'], ['read', 'delivered', 'sent'],
  ];
  it.each(permutations)('%s, %s, %s', (...order) => {
    const state = fold(order);
    expect(state.status).toBe('read');
    expect(state.timestamps.readAt).toBe(AT.read);
    expect(state.timestamps.deliveredAt).not.toBeUndefined();
    expect(state.timestamps.sentAt).not.toBeUndefined();
    expect(state.timestamps.failedAt).toBeUndefined();
  });

  it.each(permutations)('%s, %s, %s keeps each real timestamp, whatever the order', (...order) => {
    expect(fold(order).timestamps).toEqual({ sentAt: AT.sent, deliveredAt: AT.delivered, readAt: AT.read });
  });

  it('read alone fills delivered and sent with its own time', () => {
    expect(fold(['read']).timestamps).toEqual({ sentAt: AT.read, deliveredAt: AT.read, readAt: AT.read });
  });

  it.each([
    [['sent', 'sent', 'delivered', 'delivered', 'read', 'read']],
    [['read', 'read', 'sent', 'read', 'delivered']],
    [['delivered', 'read', 'delivered', 'sent', 'sent']],
  ] as WebhookStatus[][][])('duplicates %j still end as read', (order) => {
    expect(fold(order).status).toBe('read');
  });

  it('a duplicate changes nothing', () => {
    const once = fold(['sent', 'delivered']);
    expect(mergeStatus(once, { status: 'delivered', at: AT.delivered }).changed).toBe(false);
  });

  it('failed after sent is final even if delivered/read arrive later', () => {
    expect(fold(['sent', 'failed', 'delivered', 'read']).status).toBe('failed');
  });

  it('failed arriving after read (out of order) keeps read', () => {
    expect(fold(['read', 'failed']).status).toBe('read');
  });
});

describe('isFinalStatus', () => {
  it.each([
    ['pending', false], ['queued', false], ['sent', false], ['delivered', false], ['read', true], ['played', true], ['failed', true],
  ] as const)('%s → %s', (status, final) => {
    expect(isFinalStatus(status)).toBe(final);
  });
});
