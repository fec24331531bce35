// Routing, the pure part: settings checks, VIP, the queue order and who gets each waiting chat.

import { describe, expect, it } from 'vitest';
import {
  autoResolveProblem, chooseAgent, chooseAgentFor, isVip, planAssignments, queueOrder, teamRoutingProblem,
  type QueuedConversation, type RoutingCandidate, type TeamRouting,
} from './routing.js';

const T0 = 1_700_000_000_000;
const agent = (userId: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  userId, role: 'agent', active: true, online: true, openCount: 0, lastTurn: null, ...over,
});
const waiting = (id: string, since: number | null, over: Partial<QueuedConversation> = {}): QueuedConversation => ({
  id, waitingSince: since, lastInboundAt: since, priority: 'none', tags: [], attributes: {}, ...over,
});
const RR: TeamRouting = { mode: 'round_robin', maxOpenPerAgent: null, matchLanguage: false };
const CAP2: TeamRouting = { mode: 'capacity', maxOpenPerAgent: 2, matchLanguage: false };
const RR_LANG: TeamRouting = { ...RR, matchLanguage: true };
const CAP2_LANG: TeamRouting = { ...CAP2, matchLanguage: true };

describe('teamRoutingProblem', () => {
  it.each<[TeamRouting, string | null]>([
    [{ mode: 'manual', maxOpenPerAgent: null, matchLanguage: false }, null],
    [{ mode: 'round_robin', maxOpenPerAgent: null, matchLanguage: false }, null],
    [{ mode: 'round_robin', maxOpenPerAgent: 200, matchLanguage: false }, null],
    [{ mode: 'capacity', maxOpenPerAgent: 1, matchLanguage: false }, null],
    [{ mode: 'capacity', maxOpenPerAgent: null, matchLanguage: false }, 'maxOpenPerAgent'],
    [{ mode: 'capacity', maxOpenPerAgent: 0, matchLanguage: false }, 'maxOpenPerAgent'],
    [{ mode: 'capacity', maxOpenPerAgent: 201, matchLanguage: false }, 'maxOpenPerAgent'],
    [{ mode: 'round_robin', maxOpenPerAgent: 2.5, matchLanguage: false }, 'maxOpenPerAgent'],
    [{ mode: 'lottery' as 'manual', maxOpenPerAgent: null, matchLanguage: false }, 'mode'],
  ])('%j → %s', (routing, field) => {
    expect(teamRoutingProblem(routing)?.field ?? null).toBe(field);
  });

  it.each<[number | null, boolean]>([[null, true], [1, true], [720, true], [0, false], [721, false], [1.5, false]])('autoResolveAfterHours %s ok: %s', (hours, ok) => {
    expect(autoResolveProblem(hours) === null).toBe(ok);
  });
});

describe('isVip', () => {
  it.each<[Partial<QueuedConversation>, boolean]>([
    [{}, false],
    [{ priority: 'medium' }, false],
    [{ priority: 'high' }, true],
    [{ priority: 'urgent' }, true],
    [{ tags: ['VIP'] }, true],
    [{ tags: ['vipish', 'gold'] }, false],
    [{ attributes: { vip: true } }, true],
    [{ attributes: { VIP: 'yes' } }, true],
    [{ attributes: { vip: 'да' } }, true],
    [{ attributes: { vip: false } }, false],
    [{ attributes: { vip: 'no' } }, false],
    [{ attributes: { tier: 'vip' } }, false],
  ])('%j → %s', (over, vip) => {
    expect(isVip(waiting('c', T0, over))).toBe(vip);
  });
});

describe('queueOrder', () => {
  it('serves VIPs first, then the longest waiting, then by id', () => {
    const queue = [
      waiting('new', T0 + 3000),
      waiting('old', T0),
      waiting('vip-late', T0 + 5000, { tags: ['vip'] }),
      waiting('urgent', T0 + 4000, { priority: 'urgent' }),
      waiting('same-b', T0 + 1000),
      waiting('same-a', T0 + 1000),
      waiting('released', null, { lastInboundAt: T0 + 2000 }),
    ];
    expect(queueOrder(queue).map((c) => c.id)).toEqual(['urgent', 'vip-late', 'old', 'same-a', 'same-b', 'released', 'new']);
  });
});

describe('chooseAgent', () => {
  it('gives nothing in manual mode', () => {
    expect(chooseAgent({ mode: 'manual', maxOpenPerAgent: null, matchLanguage: false }, [agent('a')])).toBeNull();
  });

  it('skips away or offline and disabled members', () => {
    expect(chooseAgent(RR, [agent('a', { online: false }), agent('b', { active: false }), agent('c')])).toBe('c');
    expect(chooseAgent(RR, [agent('a', { online: false }), agent('b', { active: false })])).toBeNull();
  });

  it('round robin: the one given a chat longest ago (never first), regardless of load', () => {
    expect(chooseAgent(RR, [agent('a', { lastTurn: 4 }), agent('b', { lastTurn: 2, openCount: 9 }), agent('c', { lastTurn: 3 })])).toBe('b');
    expect(chooseAgent(RR, [agent('a', { lastTurn: 4 }), agent('b')])).toBe('b');
  });

  it('round robin with a cap skips those at it', () => {
    expect(chooseAgent({ mode: 'round_robin', maxOpenPerAgent: 2, matchLanguage: false }, [agent('a', { lastTurn: 1, openCount: 2 }), agent('b', { lastTurn: 5 })])).toBe('b');
  });

  it('capacity: the least loaded below the max, ties by turn', () => {
    expect(chooseAgent(CAP2, [agent('a', { openCount: 1 }), agent('b', { openCount: 0, lastTurn: 7 }), agent('c', { openCount: 0, lastTurn: 3 })])).toBe('c');
    expect(chooseAgent(CAP2, [agent('a', { openCount: 2 }), agent('b', { openCount: 3 })])).toBeNull();
  });
});

describe('planAssignments', () => {
  it('round robin alternates within a pass and continues the persisted turns', () => {
    const plan = planAssignments(RR, [waiting('1', T0), waiting('2', T0 + 1), waiting('3', T0 + 2)], [agent('a', { lastTurn: 8 }), agent('b', { lastTurn: 6 })]);
    expect(plan).toEqual([
      { conversationId: '1', userId: 'b', turn: 9, matched: null },
      { conversationId: '2', userId: 'a', turn: 10, matched: null },
      { conversationId: '3', userId: 'b', turn: 11, matched: null },
    ]);
  });

  it('capacity fills up to the max and leaves the rest waiting, VIP first', () => {
    const queue = [waiting('1', T0), waiting('2', T0 + 1), waiting('3', T0 + 2), waiting('vip', T0 + 3, { priority: 'high' })];
    const plan = planAssignments({ mode: 'capacity', maxOpenPerAgent: 1, matchLanguage: false }, queue, [agent('a'), agent('b', { openCount: 1 }), agent('c')]);
    expect(plan.map((p) => [p.conversationId, p.userId])).toEqual([['vip', 'a'], ['1', 'c']]);
  });

  it('plans nothing when nobody is online', () => {
    expect(planAssignments(RR, [waiting('1', T0)], [agent('a', { online: false })])).toEqual([]);
  });
});

describe('match language', () => {
  const ru = (id: string, over: Partial<RoutingCandidate> = {}) => agent(id, { languages: ['ru'], ...over });
  const en = (id: string, over: Partial<RoutingCandidate> = {}) => agent(id, { languages: ['en'], ...over });

  it('gives a chat to an online member who speaks the language, saying so', () => {
    expect(chooseAgentFor(RR_LANG, [en('a'), ru('b', { lastTurn: 9 })], 'ru')).toEqual({ userId: 'b', matched: 'ru' });
    expect(chooseAgentFor(RR_LANG, [en('a', { lastTurn: 9 }), ru('b')], 'en')).toEqual({ userId: 'a', matched: 'en' });
    expect(chooseAgent(RR_LANG, [agent('a'), agent('b', { languages: ['en', 'ru'], lastTurn: 3 })], 'ru')).toBe('b');
  });

  it('is ignored when the option is off', () => {
    expect(chooseAgentFor(RR, [en('a'), ru('b', { lastTurn: 9 })], 'ru')).toEqual({ userId: 'a', matched: null });
  });

  it('falls back to anyone eligible: unknown language, no speaker online, speakers disabled or at the cap', () => {
    expect(chooseAgentFor(RR_LANG, [en('a', { lastTurn: 2 }), ru('b', { lastTurn: 1 })], null)).toEqual({ userId: 'b', matched: null });
    expect(chooseAgentFor(RR_LANG, [en('a'), ru('b', { online: false })], 'ru')).toEqual({ userId: 'a', matched: null });
    expect(chooseAgentFor(RR_LANG, [en('a'), ru('b', { active: false })], 'ru')).toEqual({ userId: 'a', matched: null });
    expect(chooseAgentFor(CAP2_LANG, [en('a', { openCount: 1 }), ru('b', { openCount: 2 })], 'ru')).toEqual({ userId: 'a', matched: null });
    expect(chooseAgentFor(RR_LANG, [en('a')], 'de')).toEqual({ userId: 'a', matched: null });
    expect(chooseAgentFor(RR_LANG, [ru('b', { online: false })], 'ru')).toBeNull();
    expect(chooseAgentFor({ ...RR_LANG, mode: 'manual' }, [ru('b')], 'ru')).toBeNull();
  });

  it('keeps capacity order among the speakers: the least loaded of them, below the max', () => {
    const team = [en('a'), ru('b', { openCount: 1 }), ru('c', { openCount: 0, lastTurn: 5 }), ru('d', { openCount: 0, lastTurn: 2 })];
    expect(chooseAgent(CAP2_LANG, team, 'ru')).toBe('d');
    expect(chooseAgent(CAP2_LANG, team.map((c) => (c.userId === 'd' ? { ...c, openCount: 2 } : c)), 'ru')).toBe('c');
  });

  it('plans round-robin turns among the speakers, the others taking the rest', () => {
    const queue = [
      waiting('ru1', T0, { language: 'ru' }), waiting('en1', T0 + 1, { language: 'en' }), waiting('ru2', T0 + 2, { language: 'ru' }),
      waiting('ru3', T0 + 3, { language: 'ru' }), waiting('unknown', T0 + 4), waiting('de', T0 + 5, { language: 'de' }),
    ];
    const plan = planAssignments(RR_LANG, queue, [ru('r1', { lastTurn: 4 }), ru('r2', { lastTurn: 1 }), en('e', { lastTurn: 0 })]);
    expect(plan.map((p) => [p.conversationId, p.userId, p.matched])).toEqual([
      ['ru1', 'r2', 'ru'], ['en1', 'e', 'en'], ['ru2', 'r1', 'ru'], ['ru3', 'r2', 'ru'],
      // Unknown and unspoken: whoever's turn it is among everyone.
      ['unknown', 'e', null], ['de', 'r1', null],
    ]);
    expect(plan.map((p) => p.turn)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('capacity with match language fills the speaker up to the max, then gives the rest to anyone, and stops when all are full', () => {
    const queue = [waiting('1', T0, { language: 'ru' }), waiting('2', T0 + 1, { language: 'ru' }), waiting('3', T0 + 2, { language: 'ru' }), waiting('4', T0 + 3, { language: 'ru' })];
    const plan = planAssignments({ mode: 'capacity', maxOpenPerAgent: 1, matchLanguage: true }, queue, [en('a'), ru('b'), en('c', { openCount: 1 })]);
    expect(plan.map((p) => [p.conversationId, p.userId, p.matched])).toEqual([['1', 'b', 'ru'], ['2', 'a', null]]);
  });
});
