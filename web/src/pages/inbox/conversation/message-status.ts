// An outbound message's tick (queued clock, one tick, two, two blue, failed) and why it failed, in
// plain words: Meta's common error codes and the policy's deny reasons → i18n keys. Pure.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes

export type Tick = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'none';

export interface StatusFacts {
  direction: 'in' | 'out';
  status: string;
  error?: { code: number | null; title: string | null; details: string | null } | null;
  policy?: unknown;
}

export function tickOf(m: StatusFacts): Tick {
  if (m.direction === 'in') return 'none';
  switch (m.status) {
    case 'queued': case 'sent': case 'delivered': case 'read': case 'failed': return m.status;
    case 'denied': return 'failed';
    default: return 'queued';
  }
}

/** The policy's deny reasons (src/core/policy.ts DenyReason), each with its own text. */
export const DENY_REASONS = [
  'inbox_not_connected', 'contact_blocked', 'marketing_opt_out', 'outside_service_window', 'template_not_found',
  'template_not_approved', 'template_paused', 'template_params_mismatch', 'messaging_limit_reached',
  'marketing_us_paused', 'marketing_cap_reached', 'marketing_retry_too_soon', 'quiet_hours',
] as const;

/** Meta's codes explained in the catalog (conversation.error.<code>); others fall back to Meta's title. */
export const META_CODES = [
  131047, 131026, 131049, 131050, 130472, 131056, 130429, 131051, 131052, 131053, 131042, 131048, 131031,
  131021, 131008, 131009, 131000, 133010, 368, 470, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069,
] as const;

export interface FailureReason {
  /** i18n key in the conversation catalog. */
  key: string;
  /** Meta's code, when Meta refused it. */
  code: number | null;
  /** Meta's own title/details, shown beside our words (or alone when we have none). */
  detail: string | null;
  /** The policy denied it (never sent) rather than Meta failing it. */
  denied: boolean;
}

const metaKnown = new Set<number>(META_CODES);
const denyKnown = new Set<string>(DENY_REASONS);

/** The policy decision's reason, when the stored decision is a denial. */
export function denyReasonOf(policy: unknown): string | null {
  if (typeof policy !== 'object' || policy === null) return null;
  const p = policy as { allow?: unknown; reason?: unknown };
  return p.allow === false && typeof p.reason === 'string' ? p.reason : null;
}

/** The i18n key for one Meta code: the code itself, any other 132xxx as a template problem, else unknown. */
export function metaCodeKey(code: number | null): string {
  if (code !== null && metaKnown.has(code)) return `conversation.error.${code}`;
  if (code !== null && code >= 132000 && code < 133000) return 'conversation.error.template';
  return 'conversation.error.unknown';
}

export function denyReasonKey(reason: string): string {
  return denyKnown.has(reason) ? `conversation.deny.${reason}` : 'conversation.deny.unknown';
}

/** Why a message failed or was refused; null when it did neither. */
export function failureOf(m: StatusFacts): FailureReason | null {
  const reason = m.status === 'denied' || m.status === 'failed' ? denyReasonOf(m.policy) : null;
  if (m.status === 'denied' || reason) {
    return { key: denyReasonKey(reason ?? 'unknown'), code: null, detail: null, denied: true };
  }
  if (m.status !== 'failed') return null;
  const code = m.error?.code ?? null;
  const detail = [m.error?.title, m.error?.details].filter((s): s is string => !!s && s.trim() !== '').join(': ') || null;
  return { key: metaCodeKey(code), code, detail, denied: false };
}
