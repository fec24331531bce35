// Merging pages and live updates into the pane's list: by id, newest version wins, oldest first.
import { describe, expect, it } from 'vitest';
import { mergeMessages, type Message } from './conversation-store.js';

const m = (id: string, createdAt: number, updatedAt = createdAt, status = 'sent') => ({ id, createdAt, updatedAt, status }) as unknown as Message;

describe('mergeMessages', () => {
  it('orders by time (id breaks ties) whatever order pages arrive in', () => {
    const merged = mergeMessages([m('c', 30), m('b', 20)], [m('a', 10), m('d', 20)]);
    expect(merged.map((x) => x.id)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('keeps the newer version of a message and ignores a stale one', () => {
    const current = [m('a', 10, 50, 'read')];
    expect(mergeMessages(current, [m('a', 10, 40, 'delivered')])[0]!.status).toBe('read');
    expect(mergeMessages(current, [m('a', 10, 60, 'failed')])[0]!.status).toBe('failed');
  });
});
