// Routing, the pure part: settings checks, VIP, the queue order and who gets each waiting chat.

import { describe, expect, it } from 'vitest';
import {
  autoResolveProblem, chooseAgent, isVip, planAssignments, queueOrder, teamRoutingProblem,
  type QueuedConversation, type RoutingCandidate, type TeamRouting,
} from './routing.js';

const T0 = 1_700_000_000_000;
const agent = (userId: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  userId, role: 'agent', active: true, online: true, openCount: 0, lastTurn: null, ...over,
});
const waiting = (id: string, since: number | null, over: Partial<QueuedConversation> = {}): QueuedConversation => ({
  id, waitingSince: since, lastInboundAt: since, priority: 'none', tags: [], attributes: {}, ...over,
});
const RR: TeamRouting = { mode: 'round_robin', maxOpenPerAgent: null };
const CAP2: TeamRouting = { mode: 'capacity', maxOpenPerAgent: 2 };

describe('teamRoutingProblem', () => {
  it.each<[TeamRouting, string | null]>([
    [{ mode: 'manual', maxOpenPerAgent: null }, null],
    [{ mode: 'round_robin', maxOpenPerAgent: null }, null],
    [{ mode: 'round_robin', maxOpenPerAgent: 200 }, null],
    [{ mode: 'capacity', maxOpenPerAgent: 1 }, null],
    [{ mode: 'capacity', maxOpenPerAgent: null }, 'maxOpenPerAgent'],
    [{ mode: 'capacity', maxOpenPerAgent: 0 }, 'maxOpenPerAgent'],
    [{ mode: 'capacity', maxOpenPerAgent: 201 }, 'maxOpenPerAgent'],
    [{ mode: 'round_robin', maxOpenPerAgent: 2.5 }, 'maxOpenPerAgent'],
    [{ mode: 'lottery' as 'manual', maxOpenPerAgent: null }, 'mode'],
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
    expect(chooseAgent({ mode: 'manual', maxOpenPerAgent: null }, [agent('a')])).toBeNull();
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
    expect(chooseAgent({ mode: 'round_robin', maxOpenPerAgent: 2 }, [agent('a', { lastTurn: 1, openCount: 2 }), agent('b', { lastTurn: 5 })])).toBe('b');
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
      { conversationId: '1', userId: 'b', turn: 9 },
      { conversationId: '2', userId: 'a', turn: 10 },
      { conversationId: '3', userId: 'b', turn: 11 },
    ]);
  });

  it('capacity fills up to the max and leaves the rest waiting, VIP first', () => {
    const queue = [waiting('1', T0), waiting('2', T0 + 1), waiting('3', T0 + 2), waiting('vip', T0 + 3, { priority: 'high' })];
    const plan = planAssignments({ mode: 'capacity', maxOpenPerAgent: 1 }, queue, [agent('a'), agent('b', { openCount: 1 }), agent('c')]);
    expect(plan.map((p) => [p.conversationId, p.userId])).toEqual([['vip', 'a'], ['1', 'c']]);
  });

  it('plans nothing when nobody is online', () => {
    expect(planAssignments(RR, [waiting('1', T0)], [agent('a', { online: false })])).toEqual([]);
  });
});
