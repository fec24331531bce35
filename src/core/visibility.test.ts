// The visibility rule, assignment permissions and the reply guard: table-driven, facts in, decision out.

import { describe, expect, it } from 'vitest';
import type { UserRole } from './users.js';
import {
  canSeeConversation, decideAssignment, folderPredicate, matchesPredicate, mayReply, roleAtLeast,
  type ConversationScope, type Viewer, type VisibilityMode,
} from './visibility.js';

const agent = (teamIds: string[] = ['t1']): Viewer => ({ userId: 'u1', role: 'agent', teamIds });
const as = (role: UserRole): Viewer => ({ userId: 'u1', role, teamIds: [] });
const conv = (assigneeId: string | null, teamId: string | null): ConversationScope => ({ assigneeId, teamId });

describe('canSeeConversation', () => {
  const cases: Array<[string, Viewer | null, VisibilityMode, ConversationScope, boolean]> = [
    ['API key, restricted mode', null, 'own_team_unassigned', conv('u9', 't9'), true],
    ['agent, mode all, other team', agent(), 'all', conv('u9', 't9'), true],
    ['agent: assigned to me', agent(), 'own_team_unassigned', conv('u1', null), true],
    ['agent: assigned to me in another team', agent(), 'own_team_unassigned', conv('u1', 't9'), true],
    ['agent: my team, assigned to a teammate', agent(), 'own_team_unassigned', conv('u2', 't1'), true],
    ['agent: my team, no assignee', agent(), 'own_team_unassigned', conv(null, 't1'), true],
    ['agent: no assignee, no team', agent(), 'own_team_unassigned', conv(null, null), true],
    ['agent: other team, no assignee', agent(), 'own_team_unassigned', conv(null, 't9'), false],
    ['agent: other team, other assignee', agent(), 'own_team_unassigned', conv('u2', 't9'), false],
    ['agent: no team, other assignee', agent(), 'own_team_unassigned', conv('u2', null), false],
    ['agent without teams: a team chat', agent([]), 'own_team_unassigned', conv(null, 't1'), false],
    ['agent without teams: unassigned', agent([]), 'own_team_unassigned', conv(null, null), true],
    ['supervisor sees other team', as('supervisor'), 'own_team_unassigned', conv('u2', 't9'), true],
    ['admin sees other team', as('admin'), 'own_team_unassigned', conv('u2', 't9'), true],
    ['owner sees other team', as('owner'), 'own_team_unassigned', conv('u2', null), true],
  ];
  it.each(cases)('%s', (_name, viewer, mode, scope, expected) => {
    expect(canSeeConversation(viewer, mode, scope)).toBe(expected);
  });
});

describe('folders', () => {
  const cases: Array<[Parameters<typeof folderPredicate>[0], Viewer | null, ConversationScope, boolean]> = [
    ['mine', agent(), conv('u1', 't9'), true],
    ['mine', agent(), conv('u2', 't1'), false],
    ['mine', null, conv('u1', null), false],
    ['unassigned', agent(), conv(null, 't9'), true],
    ['unassigned', agent(), conv('u1', null), false],
    ['teams', agent(['t1', 't2']), conv('u5', 't2'), true],
    ['teams', agent(['t1']), conv(null, null), false],
    ['teams', agent([]), conv(null, 't1'), false],
    ['all', null, conv('u5', 't5'), true],
  ];
  it.each(cases)('%s for %j on %j → %s', (folder, viewer, scope, expected) => {
    expect(matchesPredicate(folderPredicate(folder, viewer), scope)).toBe(expected);
  });
});

describe('decideAssignment', () => {
  const cases: Array<[string, Viewer | null, ConversationScope, { assigneeId?: string | null; teamId?: string | null }, boolean | string]> = [
    ['API key assigns anyone', null, conv('u2', 't9'), { assigneeId: 'u3', teamId: 't1' }, true],
    ['supervisor reassigns', as('supervisor'), conv('u2', 't9'), { assigneeId: 'u3' }, true],
    ['agent takes unassigned', agent(), conv(null, null), { assigneeId: 'u1' }, true],
    ['agent takes own team chat', agent(), conv(null, 't1'), { assigneeId: 'u1' }, true],
    ['agent takes own team chat naming the same team', agent(), conv(null, 't1'), { assigneeId: 'u1', teamId: 't1' }, true],
    ['agent releases own chat', agent(), conv('u1', 't1'), { assigneeId: null }, true],
    ['agent assigns someone else', agent(), conv(null, null), { assigneeId: 'u2' }, 'agent_assigns_only_self'],
    ['agent moves to a team', agent(), conv(null, null), { assigneeId: 'u1', teamId: 't1' }, 'agent_assigns_only_self'],
    ['agent changes only the team', agent(), conv('u1', null), { teamId: 't1' }, 'agent_assigns_only_self'],
    ['agent takes a teammate\'s chat', agent(), conv('u2', 't1'), { assigneeId: 'u1' }, 'taken_by_other'],
    ['agent takes another team\'s chat', agent(), conv(null, 't9'), { assigneeId: 'u1' }, 'other_team'],
    ['agent releases a chat not theirs', agent(), conv('u2', null), { assigneeId: null }, 'agent_assigns_only_self'],
  ];
  it.each(cases)('%s', (_name, viewer, scope, next, expected) => {
    const decision = decideAssignment(viewer, scope, next);
    expect(decision.allow ? true : decision.reason).toBe(expected);
  });
});

describe('mayReply and roles', () => {
  it.each([
    [null, conv('u2', null), true],
    [agent(), conv(null, 't9'), true],
    [agent(), conv('u1', null), true],
    [agent(), conv('u2', 't1'), false],
    [as('supervisor'), conv('u2', null), true],
  ] as Array<[Viewer | null, ConversationScope, boolean]>)('viewer %j in %j → %s', (viewer, scope, expected) => {
    expect(mayReply(viewer, scope)).toBe(expected);
  });
  it('orders roles owner > admin > supervisor > agent', () => {
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'supervisor')).toBe(true);
    expect(roleAtLeast('supervisor', 'admin')).toBe(false);
    expect(roleAtLeast('agent', 'supervisor')).toBe(false);
    expect(roleAtLeast('agent', 'agent')).toBe(true);
  });
});
