// SLA («время ответа»), the pure part: a policy's targets (first and next response, amber at a share
// of the target) and a waiting conversation's status at a given moment — 24/7, or in business hours only.

import { addBusinessTime, type BusinessHours } from './business-hours.js';

export type SlaStatus = 'ok' | 'amber' | 'red';

export interface SlaEscalation {
  /** Raise the conversation's priority to urgent when it turns red. */
  raisePriority: boolean;
  /** Users who get a live `sla.breached` event. */
  notifyUserIds: string[];
  /** Hand the conversation to this team when it turns red; null = leave it. */
  reassignTeamId: string | null;
}

export interface SlaPolicy {
  /** Minutes to the first answer of a conversation the business has never answered. */
  firstResponseMinutes: number;
  /** Minutes to the answer of a customer who writes again after an answer. */
  nextResponseMinutes: number;
  /** Amber from this share of the target (1–99). */
  amberPercent: number;
  /** Count only the workspace's business hours (core/business-hours.ts); false = around the clock. */
  businessHoursOnly: boolean;
  escalation: SlaEscalation;
}

/** What a workspace without a policy gets (the seed: unanswered 2 h → red). */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  firstResponseMinutes: 120, nextResponseMinutes: 30, amberPercent: 75, businessHoursOnly: false,
  escalation: { raisePriority: false, notifyUserIds: [], reassignTeamId: null },
};

export const SLA_LIMITS = { maxMinutes: 60 * 24 * 30, minAmberPercent: 1, maxAmberPercent: 99, maxNotify: 20 } as const;

export interface SlaState { status: SlaStatus; dueAt: number }

/** How long the customer may wait: the first-response target until the business has ever answered. */
export function targetMs(policy: Pick<SlaPolicy, 'firstResponseMinutes' | 'nextResponseMinutes'>, answeredBefore: boolean): number {
  return (answeredBefore ? policy.nextResponseMinutes : policy.firstResponseMinutes) * 60_000;
}

/**
 * Status of a customer waiting since `waitingSince` (null: nobody waits → null). Amber from
 * amberPercent of the target, red from the due time itself (dueAt is the first red millisecond).
 * With `hours`, both count open time only (a wait that starts when closed starts at the opening).
 */
export function slaState(
  waitingSince: number | null, target: number, amberPercent: number, now: number, hours: BusinessHours | null = null,
): SlaState | null {
  if (waitingSince === null || !(target > 0)) return null;
  const amberTarget = Math.floor((target * amberPercent) / 100);
  const dueAt = hours ? addBusinessTime(hours, waitingSince, target) : waitingSince + target;
  const amberAt = hours ? addBusinessTime(hours, waitingSince, amberTarget) : waitingSince + amberTarget;
  const status: SlaStatus = now >= dueAt ? 'red' : now >= amberAt ? 'amber' : 'ok';
  return { status, dueAt };
}

/** What is wrong with a policy, or null (the HTTP schema checks the types; this checks the sense). */
export function slaPolicyProblem(policy: SlaPolicy): { field: string; message: string } | null {
  for (const field of ['firstResponseMinutes', 'nextResponseMinutes'] as const) {
    const v = policy[field];
    if (!Number.isInteger(v) || v < 1 || v > SLA_LIMITS.maxMinutes) {
      return { field, message: `${field} must be a whole number of minutes from 1 to ${SLA_LIMITS.maxMinutes}` };
    }
  }
  const a = policy.amberPercent;
  if (!Number.isInteger(a) || a < SLA_LIMITS.minAmberPercent || a > SLA_LIMITS.maxAmberPercent) {
    return { field: 'amberPercent', message: `amberPercent must be a whole percentage from ${SLA_LIMITS.minAmberPercent} to ${SLA_LIMITS.maxAmberPercent}` };
  }
  if (new Set(policy.escalation.notifyUserIds).size > SLA_LIMITS.maxNotify) {
    return { field: 'escalation.notifyUserIds', message: `at most ${SLA_LIMITS.maxNotify} people can be notified` };
  }
  return null;
}
