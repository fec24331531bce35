// Reactions as chips: latest per side wins, an empty emoji removes, unknown targets are skipped.
import { describe, expect, it } from 'vitest';
import { reactionsByTarget, type ReactionFacts } from './message-reactions.js';

let n = 0;
const msg = (over: Partial<ReactionFacts>): ReactionFacts => ({
  id: `m${++n}`, direction: 'in', type: 'text', status: 'received', content: {}, wamid: null, replyToMessageId: null, createdAt: n, ...over,
});

describe('reactionsByTarget', () => {
  it('keeps the latest reaction of each side and drops removed ones', () => {
    const target = msg({ id: 't', wamid: 'wamid.t', direction: 'out', status: 'read' });
    const list = [
      target,
      msg({ type: 'reaction', content: { targetWamid: 'wamid.t', emoji: '👍' }, replyToMessageId: 't' }),
      msg({ type: 'reaction', content: { targetWamid: 'wamid.t', emoji: '❤️' }, replyToMessageId: 't' }),
      msg({ type: 'reaction', direction: 'out', status: 'sent', content: { messageWamid: 'wamid.t', emoji: '🙏' } }),
    ];
    expect(reactionsByTarget(list).get('t')).toEqual([{ emoji: '❤️', from: 'in' }, { emoji: '🙏', from: 'out' }]);
    list.push(msg({ type: 'reaction', content: { targetWamid: 'wamid.t', emoji: null }, replyToMessageId: 't' }));
    expect(reactionsByTarget(list).get('t')).toEqual([{ emoji: '🙏', from: 'out' }]);
  });

  it('ignores failed or denied reactions and targets that are not loaded', () => {
    const list = [
      msg({ id: 'x', wamid: 'wamid.x' }),
      msg({ type: 'reaction', direction: 'out', status: 'denied', content: { messageWamid: 'wamid.x', emoji: '👍' } }),
      msg({ type: 'reaction', content: { targetWamid: 'wamid.elsewhere', emoji: '👍' } }),
    ];
    expect(reactionsByTarget(list).size).toBe(0);
  });
});
