// The SLA status at a moment: ok before the amber share of the target, amber from it, red at the due time.

import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, slaPolicyProblem, slaState, targetMs } from './sla.js';

const MIN = 60_000;
const T0 = 1_700_000_000_000;

describe('slaState', () => {
  const first = targetMs(DEFAULT_SLA_POLICY, false);

  it('uses the first-response target until the business ever answered, then the next-response one', () => {
    expect(first).toBe(120 * MIN);
    expect(targetMs(DEFAULT_SLA_POLICY, true)).toBe(30 * MIN);
  });

  it('is ok, then amber at 75 %, then red at the due time', () => {
    expect(slaState(T0, first, 75, T0 + 89 * MIN)).toEqual({ status: 'ok', dueAt: T0 + 120 * MIN });
    expect(slaState(T0, first, 75, T0 + 90 * MIN)?.status).toBe('amber');
    expect(slaState(T0, first, 75, T0 + 120 * MIN - 1)?.status).toBe('amber');
    expect(slaState(T0, first, 75, T0 + 120 * MIN)?.status).toBe('red');
    expect(slaState(T0, first, 75, T0 + 600 * MIN)?.status).toBe('red');
  });

  it('is null when nobody waits', () => {
    expect(slaState(null, first, 75, T0)).toBeNull();
  });
});

describe('slaPolicyProblem', () => {
  it('accepts the default and names the field that is wrong', () => {
    expect(slaPolicyProblem(DEFAULT_SLA_POLICY)).toBeNull();
    expect(slaPolicyProblem({ ...DEFAULT_SLA_POLICY, firstResponseMinutes: 0 })?.field).toBe('firstResponseMinutes');
    expect(slaPolicyProblem({ ...DEFAULT_SLA_POLICY, nextResponseMinutes: 1.5 })?.field).toBe('nextResponseMinutes');
    expect(slaPolicyProblem({ ...DEFAULT_SLA_POLICY, amberPercent: 100 })?.field).toBe('amberPercent');
  });
});
