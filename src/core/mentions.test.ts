import { describe, expect, it } from 'vitest';
import { findMentions, mentionedUserIds } from './mentions.js';

const people = [{ id: 'u1', name: 'Ann' }, { id: 'u2', name: 'Ann Lee' }, { id: 'u3', name: 'Борис' }];

describe('findMentions', () => {
  it('finds @Name case-insensitively, preferring the longest name, with offsets', () => {
    const body = 'Hi @ann lee and @ANN, see this';
    expect(findMentions(body, people)).toEqual([
      { userId: 'u2', name: 'Ann Lee', start: 3, end: 11 },
      { userId: 'u1', name: 'Ann', start: 16, end: 20 },
    ]);
  });

  it('ignores e-mail addresses, names inside longer words and unknown names', () => {
    expect(findMentions('mail ann@ann.test or @Annabel or @Nobody', people)).toEqual([]);
  });

  it('handles Cyrillic names and punctuation after the name', () => {
    const spans = findMentions('@Борис, глянь', people);
    expect(spans).toEqual([{ userId: 'u3', name: 'Борис', start: 0, end: 6 }]);
  });

  it('gives each mentioned user once', () => {
    expect(mentionedUserIds(findMentions('@Ann @Ann @Борис', people))).toEqual(['u1', 'u3']);
  });
});
