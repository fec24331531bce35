// Snooze presets (local time), refusals told in plain words (en/ru), and the sort of live-patched lists.
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../../../i18n/i18n.js';
import { sortItems, type ConversationItem } from '../../list-store.js';
import { refusalText, snoozeUntil } from './conversation-actions.js';

afterEach(() => setLocale('en'));

describe('snoozeUntil', () => {
  // Wednesday 2026-12-02 15:30 local time.
  const wed = new Date(2026, 11, 2, 15, 30).getTime();
  it('wakes in an hour, tomorrow at 9:00, next Monday at 9:00, or on the reply', () => {
    expect(snoozeUntil('hour', wed)).toBe(wed + 3_600_000);
    expect(new Date(snoozeUntil('tomorrow', wed)!)).toEqual(new Date(2026, 11, 3, 9, 0));
    expect(new Date(snoozeUntil('nextWeek', wed)!)).toEqual(new Date(2026, 11, 7, 9, 0));
    expect(snoozeUntil('untilReply', wed)).toBeNull();
  });
  it('on a Monday, next week is the Monday after, not today', () => {
    const mon = new Date(2026, 11, 7, 8, 0).getTime();
    expect(new Date(snoozeUntil('nextWeek', mon)!)).toEqual(new Date(2026, 11, 14, 9, 0));
  });
});

describe('refusalText', () => {
  it('explains an assignment refusal by its reason, in the UI language', () => {
    const e = { code: 'assignment_forbidden', message: 'x', details: { reason: 'taken_by_other' } };
    expect(refusalText(e)).toBe('Someone else already took this conversation. Ask a supervisor to reassign it.');
    setLocale('ru');
    expect(refusalText(e)).toBe('Этот диалог уже взял другой оператор. Попросите супервайзера переназначить его.');
  });
  it('names the assignee when a reply is refused, and falls back to the server message for unknown codes', () => {
    expect(refusalText({ code: 'conversation_assigned_to_other', message: 'x', details: { assignee: { id: 'u1', name: 'Maria' } } }))
      .toBe('This conversation is assigned to Maria: only Maria or a supervisor can reply.');
    expect(refusalText({ code: 'weird_thing', message: 'Something odd.' })).toBe('That did not work: Something odd.');
  });
});

describe('sortItems', () => {
  const item = (id: string, at: number, priority: string, waitingSince: number | null) =>
    ({ id, lastMessageAt: at, updatedAt: at, lastMessage: null, priority, waitingSince }) as unknown as ConversationItem;
  const items = [item('a', 30, 'low', null), item('b', 20, 'urgent', 5), item('c', 10, 'high', 2)];
  it('sorts by last activity, longest waiting (answered last), or priority', () => {
    expect(sortItems(items).map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(sortItems(items, 'waiting').map((c) => c.id)).toEqual(['c', 'b', 'a']);
    expect(sortItems(items, 'priority').map((c) => c.id)).toEqual(['b', 'c', 'a']);
  });
});
