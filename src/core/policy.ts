// The policy engine: ordered, named rules over facts the service gathers; the first failing rule
// wins. Pure: facts in, decision out — nothing is read from the clock or the database here.
import type { TemplateContent } from './message-content.js';
import { checkMessagingLimit, type LimitTier } from './limits.js';
import type { PricingMarket } from './markets.js';
import { countryOfPhone } from './phone.js';
import { quietUntil, type QuietHoursRule } from './quiet-hours.js';
import { checkTemplateParams, type StoredTemplate } from './templates.js';
import { SERVICE_WINDOW_MS, isWindowOpen } from './window.js';

export interface PolicyFacts {
  now: number;
  inbox: { status: string; qualityRating?: string | null };
  contact: { waId: string; blocked: boolean; marketingOptOut: boolean; country?: string | null; market?: PricingMarket | null };
  conversation: { lastInboundAt: number | null; entryPointExpiresAt?: number | null };
  message:
    | { kind: 'session' }
    | { kind: 'template'; template: StoredTemplate | null; params: Pick<TemplateContent, 'header' | 'body' | 'buttons'> };
  limits: { messagingLimit: LimitTier; uniqueOutOfWindowRecipients24h: number; contactAlreadyCounted: boolean; oldestCountedAt?: number | null };
  marketing: {
    deliveredToContactLast24h: number;
    /** Parley's own per-contact marketing cap per 24 h; null/undefined = no cap. */
    capPerDay?: number | null;
    /** Oldest marketing delivery to this contact in the last 24 h, to say when the cap frees. */
    oldestDeliveredAt?: number | null;
    /** Last 131049 ("healthy ecosystem") failure for this contact. */
    lastEcosystemFailureAt?: number | null;
  };
  /** Per-country quiet hours keyed by ISO country ('IN'); default none. */
  quietHours?: Readonly<Record<string, QuietHoursRule>> | null;
}

export type DenyReason =
  | 'inbox_not_connected' | 'contact_blocked' | 'marketing_opt_out' | 'outside_service_window' | 'template_not_found'
  | 'template_not_approved' | 'template_paused' | 'template_params_mismatch' | 'messaging_limit_reached'
  | 'marketing_us_paused' | 'marketing_cap_reached' | 'marketing_retry_too_soon' | 'quiet_hours';

export type RuleOutcome = { allow: true } | { allow: false; reason: DenyReason; message: string; retryAt?: number };

export interface PolicyRule { name: string; check: (facts: PolicyFacts) => RuleOutcome }

export type PolicyDecision =
  | { allow: true; rules: string[] }
  | { allow: false; reason: DenyReason; rule: string; message: string; retryAt?: number; rules: string[] };

const ALLOW: RuleOutcome = { allow: true };
/**
 * Parley's own per-contact cap on marketing templates per 24 h (outside the customer's window).
 * Meta's cap is adaptive and unpublished (131049); 2 keeps a business clear of it for most users.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/per-user-limits
 */
export const DEFAULT_MARKETING_CAP_PER_DAY = 2;

/** Meta stopped delivering marketing templates to US (+1 US) numbers on 2025-04-01 (error 131049). */
export const US_MARKETING_PAUSE_FROM = Date.UTC(2025, 3, 1);

function deny(reason: DenyReason, message: string, retryAt?: number | null): RuleOutcome {
  return retryAt == null ? { allow: false, reason, message } : { allow: false, reason, message, retryAt };
}

function templateOf(f: PolicyFacts): StoredTemplate | null {
  return f.message.kind === 'template' ? f.message.template : null;
}

function isMarketing(f: PolicyFacts): boolean {
  return templateOf(f)?.category === 'MARKETING';
}

function windowOpen(f: PolicyFacts): boolean {
  return isWindowOpen(f.conversation.lastInboundAt, f.now);
}

/** Why the window is closed: the customer never wrote, or wrote more than 24 hours ago. */
function windowClosedMessage(f: PolicyFacts): string {
  return f.conversation.lastInboundAt === null
    ? 'the customer has not written to this number yet, so no service window is open; send an approved template'
    : 'more than 24 hours have passed since the customer last wrote; send an approved template';
}

function countryOf(f: PolicyFacts): string | null {
  return f.contact.country ?? countryOfPhone(f.contact.waId);
}

/**
 * The rules, in order. Order matters: the first failure is what the operator sees, so permanent,
 * cheap facts (number, contact) come before template checks and budget checks.
 */
export const POLICY_RULES: readonly PolicyRule[] = [
  {
    // Meta refuses sends from a number that is not registered and CONNECTED (133010).
    name: 'inbox_connected',
    check: (f) => (f.inbox.status.toUpperCase() === 'CONNECTED' ? ALLOW
      : deny('inbox_not_connected', `the WhatsApp number is ${f.inbox.status.toLowerCase()}, not connected`)),
  },
  {
    name: 'contact_not_blocked',
    check: (f) => (f.contact.blocked ? deny('contact_blocked', 'the contact is blocked') : ALLOW),
  },
  {
    // The user stopped marketing from this number; Meta would fail it with 131050. Other categories still go.
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences
    name: 'marketing_opt_in',
    check: (f) => (isMarketing(f) && f.contact.marketingOptOut
      ? deny('marketing_opt_out', 'the contact stopped marketing messages; only utility, authentication or replies can be sent') : ALLOW),
  },
  {
    // Free-form messages only inside the 24 h customer service window (131047); a template reopens it.
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
    name: 'service_window',
    check: (f) => (f.message.kind === 'session' && !windowOpen(f) ? deny('outside_service_window', windowClosedMessage(f)) : ALLOW),
  },
  {
    name: 'template_exists',
    check: (f) => (f.message.kind === 'template' && f.message.template === null
      ? deny('template_not_found', 'no template with this name and language is synced for this number') : ALLOW),
  },
  {
    // Only APPROVED templates can be sent (132001); PAUSED is handled by the next rule.
    name: 'template_approved',
    check: (f) => {
      const t = templateOf(f);
      if (!t || t.status === 'APPROVED' || t.status === 'PAUSED') return ALLOW;
      return deny('template_not_approved', `template "${t.name}" is ${t.status.toLowerCase()}, not approved`);
    },
  },
  {
    // Low-quality templates are paused 3 h, then 6 h, then disabled (132015). Paused sends are refused.
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-pausing
    name: 'template_active',
    check: (f) => {
      const t = templateOf(f);
      if (!t || t.status !== 'PAUSED') return ALLOW;
      const retryAt = t.pausedUntil != null && t.pausedUntil > f.now ? t.pausedUntil : null;
      return deny('template_paused', `template "${t.name}" is paused for low quality`, retryAt);
    },
  },
  {
    // Parameter count and named/positional format must match (132000 / 132012).
    name: 'template_params',
    check: (f) => {
      const t = templateOf(f);
      if (!t || f.message.kind !== 'template') return ALLOW;
      const issues = checkTemplateParams(t, f.message.params);
      return issues.length === 0 ? ALLOW : deny('template_params_mismatch', issues.map((i) => i.message).join('; '));
    },
  },
  {
    // Unique recipients outside the CSW per moving 24 h, per portfolio (no dedicated Meta code; 131048 observed).
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits
    name: 'messaging_limit',
    check: (f) => {
      const r = checkMessagingLimit({
        tier: f.limits.messagingLimit, uniqueRecipients24h: f.limits.uniqueOutOfWindowRecipients24h,
        serviceWindowOpen: windowOpen(f), contactAlreadyCounted: f.limits.contactAlreadyCounted, oldestCountedAt: f.limits.oldestCountedAt,
      });
      return r.ok ? ALLOW : deny('messaging_limit_reached', 'the messaging limit of unique customers outside the service window is used up for the last 24 hours', r.retryAt);
    },
  },
  {
    // Marketing templates to US numbers fail with 131049 since 2025-04-01; permanent, so checked before the caps.
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/per-user-limits
    name: 'marketing_us',
    check: (f) => (isMarketing(f) && f.now >= US_MARKETING_PAUSE_FROM && countryOf(f) === 'US'
      ? deny('marketing_us_paused', 'Meta does not deliver marketing templates to US phone numbers') : ALLOW),
  },
  {
    // Parley's configurable per-contact cap. Marketing inside the customer's own window is exempt, like Meta's cap.
    name: 'marketing_cap',
    check: (f) => {
      const cap = f.marketing.capPerDay;
      if (!isMarketing(f) || cap == null || windowOpen(f) || f.marketing.deliveredToContactLast24h < cap) return ALLOW;
      const oldest = f.marketing.oldestDeliveredAt;
      return deny('marketing_cap_reached', `the contact already received ${cap} marketing message(s) in 24 hours`, oldest == null ? null : oldest + SERVICE_WINDOW_MS);
    },
  },
  {
    // After 131049, Meta asks to wait ≥ 24 h: retrying sooner can block delivery to that user for up to 24 h.
    name: 'marketing_retry',
    check: (f) => {
      const failedAt = f.marketing.lastEcosystemFailureAt;
      if (!isMarketing(f) || failedAt == null || f.now >= failedAt + SERVICE_WINDOW_MS) return ALLOW;
      return deny('marketing_retry_too_soon', 'Meta refused marketing to this contact (131049) less than 24 hours ago', failedAt + SERVICE_WINDOW_MS);
    },
  },
  {
    name: 'quiet_hours',
    check: (f) => {
      const country = countryOf(f);
      const rule = country ? f.quietHours?.[country] : undefined;
      if (!rule) return ALLOW;
      const scope = rule.appliesTo ?? 'marketing';
      if (scope === 'marketing' && !isMarketing(f)) return ALLOW;
      if (scope === 'templates' && f.message.kind !== 'template') return ALLOW;
      const until = quietUntil(rule, f.now);
      return until === null ? ALLOW : deny('quiet_hours', `quiet hours ${rule.start}–${rule.end} (${rule.timeZone}) in the contact's country`, until);
    },
  },
];

/** Run the rules in order; the first denial wins. `rules` lists the names checked, in order. */
export function evaluatePolicy(facts: PolicyFacts, rules: readonly PolicyRule[] = POLICY_RULES): PolicyDecision {
  const checked: string[] = [];
  for (const rule of rules) {
    checked.push(rule.name);
    const outcome = rule.check(facts);
    if (!outcome.allow) {
      const { reason, message } = outcome;
      return outcome.retryAt === undefined
        ? { allow: false, reason, rule: rule.name, message, rules: checked }
        : { allow: false, reason, rule: rule.name, message, retryAt: outcome.retryAt, rules: checked };
    }
  }
  return { allow: true, rules: checked };
}
