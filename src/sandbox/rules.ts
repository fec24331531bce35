// The business rules a send must pass, in Meta's order (business-rules §10): the first failing rule
// wins. A SYNC failure is the Graph error of the request; an ASYNC one lets the message be accepted
// (200) and fail later with a `failed` status webhook. Rule side effects (throughput and pair buckets,
// the portfolio's out-of-window recipients) are committed only once a message is accepted, so refused
// attempts — a paused template, say — neither count against limits nor are charged.

import type { TemplateCategory } from '../cloudapi/wire.js';
import { fail } from './graph-errors.js';
import { isUsRecipient, marketOf, marketingCapApplies, US_MARKETING_PAUSE_FROM } from './markets.js';
import { checkTemplateParameters } from './send-validate-template.js';
import type { ValidatedSend } from './send-validate.js';
import type { Business, Customer, PhoneNumber, SandboxState, Template, Waba } from './state.js';
import type { TemplateQuality } from './template-quality.js';

const DAY_MS = 24 * 3600_000;
/** The customer service window: 24 h from the customer's last message to this business number. */
export const SERVICE_WINDOW_MS = DAY_MS;

/** Everything the rules look at for one send attempt. */
export interface SendAttempt {
  state: SandboxState;
  templateQuality: TemplateQuality;
  phone: PhoneNumber;
  waba: Waba;
  business: Business | undefined;
  customer: Customer;
  send: ValidatedSend;
  now: number;
  /** The customer's service window with this number is open. */
  inWindow: boolean;
  /** Set by the template rule: the stored template this send uses. */
  template?: Template;
}

export interface AsyncFailure { code: number; details: string }

type Outcome =
  | undefined
  | { mode: 'sync'; code: number; details: string; subcode?: number }
  | { mode: 'async'; code: number; details: string };

export interface SendRule {
  name: string;
  check(a: SendAttempt): Outcome;
  /** Runs when the message is accepted, with the name of the rule that failed it asynchronously. */
  commit?(a: SendAttempt, failedBy: string | undefined): void;
}

const sync = (code: number, details: string, subcode?: number): Outcome => ({ mode: 'sync', code, details, ...(subcode ? { subcode } : {}) });
const later = (code: number, details: string): Outcome => ({ mode: 'async', code, details });

export function isServiceWindowOpen(customer: Customer, phoneId: string, now: number): boolean {
  const last = customer.lastInboundAt.get(phoneId);
  return last !== undefined && now - last < SERVICE_WINDOW_MS;
}

function isTemplate(a: SendAttempt): boolean {
  return a.send.type === 'template';
}

function categoryOf(a: SendAttempt): TemplateCategory | undefined {
  return a.template?.category;
}

function isMarketing(a: SendAttempt): boolean {
  return categoryOf(a) === 'MARKETING';
}

// ---------- token buckets (throughput per number, pair rate per number × recipient) ----------

function refill(bucket: { tokens: number; at: number }, capacity: number, perMs: number, now: number): number {
  return Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
}

function pairBucketOf(a: SendAttempt): { tokens: number; at: number } {
  return a.customer.pairBuckets.get(a.phone.id) ?? { tokens: a.state.options.pairBurst, at: a.now };
}

function pairTokens(a: SendAttempt): number {
  const o = a.state.options;
  return refill(pairBucketOf(a), o.pairBurst, 1 / o.pairPeriodMs, a.now);
}

function throughputTokens(a: SendAttempt): number {
  const mps = a.phone.throughputMps;
  return refill(a.phone.bucket, mps, mps / 1000, a.now);
}

// ---------- the rules, in order ----------

/** 1. The number must be registered and CONNECTED. */
const numberConnected: SendRule = {
  name: 'number_connected',
  check: (a) => (!a.phone.registered || a.phone.status !== 'CONNECTED')
    ? sync(133010, `Phone number ${a.phone.id} is not registered (status ${a.phone.status}); register it first`)
    : undefined,
};

/** 2. A locked WABA sends nothing; a policy restriction blocks business-initiated sends. */
const accountNotRestricted: SendRule = {
  name: 'account_not_restricted',
  check: (a) => {
    if (a.waba.locked) return sync(131031, `WhatsApp Business Account ${a.waba.id} is locked`);
    if (a.waba.restrictedUntil !== undefined && a.waba.restrictedUntil > a.now && !a.inWindow) {
      return sync(368, `Business-initiated messaging is restricted until ${new Date(a.waba.restrictedUntil).toISOString()}`);
    }
    return undefined;
  },
};

/** 3. A valid payment method (credit line) on the WABA. */
const paymentValid: SendRule = {
  name: 'payment_valid',
  check: (a) => a.waba.paymentValid ? undefined
    : sync(131042, `WhatsApp Business Account ${a.waba.id} has no valid payment method`),
};

/** 4. Throughput per number (80 mps default): a token bucket that holds one second of messages.
 *  https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput */
const throughput: SendRule = {
  name: 'throughput',
  check: (a) => throughputTokens(a) < 1
    ? sync(130429, `Cloud API message throughput has been reached (${a.phone.throughputMps} messages per second)`, 2494055)
    : undefined,
  commit: (a) => { a.phone.bucket = { tokens: throughputTokens(a) - 1, at: a.now }; },
};

/** 5. Pair rate: one message per 6 s to one recipient, bursts borrowing up to 45 from the future. */
const pairRate: SendRule = {
  name: 'pair_rate',
  check: (a) => pairTokens(a) < 1
    ? sync(131056, 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time')
    : undefined,
  commit: (a) => { a.customer.pairBuckets.set(a.phone.id, { tokens: pairTokens(a) - 1, at: a.now }); },
};

/** 6. Free-form only inside the 24 h customer service window; Meta accepts, then fails it (131047). */
const serviceWindow: SendRule = {
  name: 'service_window',
  check: (a) => (!isTemplate(a) && !a.inWindow)
    ? later(131047, 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.')
    : undefined,
};

/** 7. The template exists in that language and is approved (paused/disabled go to rule 8). */
const templateApproved: SendRule = {
  name: 'template_approved',
  check: (a) => {
    const send = a.send.template;
    if (!send) return undefined;
    const t = findTemplate(a.state, a.waba.id, send.name, send.language.code);
    if (t) a.templateQuality.refresh(t);
    if (!t || !['APPROVED', 'PAUSED', 'DISABLED'].includes(t.status)) {
      const why = t ? `is ${t.status}, not APPROVED` : 'does not exist';
      return sync(132001, `template name (${send.name}) ${why} in ${send.language.code}`);
    }
    a.template = t;
    return undefined;
  },
};

export function findTemplate(state: SandboxState, wabaId: string, name: string, language: string): Template | undefined {
  for (const t of state.templates.values()) {
    if (t.wabaId === wabaId && t.name === name && t.language === language && t.status !== 'DELETED') return t;
  }
  return undefined;
}

/** 8. Paused (132015) or disabled (132016) templates are refused, not charged and not counted.
 *  https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-pausing */
const templateNotPaused: SendRule = {
  name: 'template_not_paused',
  check: (a) => {
    const t = a.template;
    if (t?.status === 'PAUSED') {
      const until = t.pausedUntil ? ` until ${new Date(t.pausedUntil).toISOString()}` : '';
      return sync(132015, `Template ${t.name} (${t.language}) is paused because of low quality${until}`);
    }
    if (t?.status === 'DISABLED') return sync(132016, `Template ${t.name} (${t.language}) is disabled because of low quality`);
    return undefined;
  },
};

/** 9. Parameters match the template: count (132000), format (132012), lengths. Throws directly. */
const templateParameters: SendRule = {
  name: 'template_parameters',
  check: (a) => {
    if (a.template && a.send.template) checkTemplateParameters(a.template, a.send.template);
    return undefined;
  },
};

/** 10. The WABA may have turned off marketing templates on the Cloud API (MM API only). */
const marketingOnCloudApi: SendRule = {
  name: 'marketing_on_cloud_api',
  check: (a) => (isMarketing(a) && a.waba.marketingDisabledOnCloudApi)
    ? sync(131063, 'Marketing template messages are disabled on Cloud API for this WhatsApp Business Account')
    : undefined,
};

/** 11. Portfolio messaging limit: unique recipients reached outside a service window in a moving
 *  24 h, shared by all the portfolio's numbers. https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits */
const portfolioMessagingLimit: SendRule = {
  name: 'portfolio_messaging_limit',
  check: (a) => {
    const b = a.business;
    if (!b || a.inWindow || b.messagingLimit < 0) return undefined;
    pruneOlderThan(b.outOfWindowDeliveries, a.now - DAY_MS);
    if (b.outOfWindowDeliveries.has(a.send.to) || b.outOfWindowDeliveries.size < b.messagingLimit) return undefined;
    return sync(a.state.options.messagingLimitErrorCode,
      `The business portfolio reached its messaging limit of ${b.messagingLimit} unique recipients outside a customer service window in 24 hours`);
  },
  // Counted as delivered: not when the message is failed, nor when the customer blocked the number.
  commit: (a, failedBy) => {
    if (!a.business || a.inWindow || failedBy || a.customer.blockedBusiness.has(a.phone.id)) return;
    // Re-inserted so the map stays in time order and pruning stops at the first recent entry.
    a.business.outOfWindowDeliveries.delete(a.send.to);
    a.business.outOfWindowDeliveries.set(a.send.to, a.now);
  },
};

/** Drops entries at or before `since` from a map kept in insertion (= time) order. */
function pruneOlderThan(map: Map<string, number>, since: number): void {
  for (const [key, at] of map) {
    if (at > since) return;
    map.delete(key);
  }
}

/** 12. Portfolio capped for template-categorisation abuse (templates and free-form alike). */
const categorisationPenalty: SendRule = {
  name: 'categorisation_penalty',
  check: (a) => a.business?.categorisationPenalty
    ? sync(131064, 'The business has reached its messaging limit due to template classification violations')
    : undefined,
};

/** 14. The recipient must be a WhatsApp user; a persona may be reachable only part of the time. */
const recipientReachable: SendRule = {
  name: 'recipient_reachable',
  check: (a) => {
    const reachable = a.state.personas.get(a.customer.persona)?.reachable ?? 1;
    const unreachable = !a.customer.onWhatsApp || reachable <= 0 || (reachable < 1 && !a.state.random.chance(reachable));
    return unreachable
      ? later(131026, 'Message Undeliverable: the recipient is not a WhatsApp user or cannot receive this message')
      : undefined;
  },
};

/** 15. The business blocked this user. */
const userNotBlocked: SendRule = {
  name: 'user_not_blocked',
  check: (a) => a.phone.blockedUsers.has(a.send.to)
    ? sync(130403, `The business has blocked ${a.send.to}; unblock the user to message them`)
    : undefined,
};

/** 16. The customer stopped marketing messages from this number (marketing templates only). */
const marketingNotStopped: SendRule = {
  name: 'marketing_not_stopped',
  check: (a) => (isMarketing(a) && a.customer.marketingStopped.has(a.phone.id))
    ? later(131050, 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.')
    : undefined,
};

/** 17. Adaptive per-user marketing cap (persona), outside EEA/UK/JP/KR; in-window marketing exempt;
 *  a retry within 24 h of a refusal is refused again.
 *  https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/per-user-limits */
const perUserMarketingCap: SendRule = {
  name: 'per_user_marketing_cap',
  check: (a) => {
    if (!isMarketing(a) || a.inWindow || !marketingCapApplies(marketOf(a.send.to, a.now).country)) return undefined;
    const c = a.customer;
    const refusedRecently = c.lastMarketingRefusalAt !== undefined && a.now - c.lastMarketingRefusalAt < DAY_MS;
    const cap = a.state.personas.get(c.persona)?.marketingCapPerDay;
    const delivered = c.marketingDeliveries.filter((at) => at > a.now - DAY_MS).length;
    if (refusedRecently || (cap !== undefined && delivered >= cap)) {
      return later(131049, 'This message was not delivered to maintain healthy ecosystem engagement.');
    }
    return undefined;
  },
  commit: (a, failedBy) => { if (failedBy === 'per_user_marketing_cap') a.customer.lastMarketingRefusalAt = a.now; },
};

/** 18. Marketing templates to US numbers are paused since 2025-04-01 (Canada unaffected). */
const usMarketingPause: SendRule = {
  name: 'us_marketing_pause',
  check: (a) => (isMarketing(a) && a.now >= US_MARKETING_PAUSE_FROM && isUsRecipient(a.send.to))
    ? later(131049, 'This message was not delivered to maintain healthy ecosystem engagement. Marketing template messages to US phone numbers are paused.')
    : undefined,
};

/** The table, in evaluation order (13 pacing, 19 experiment hold-out, 20 flow throttling: not emulated). */
export const SEND_RULES: readonly SendRule[] = [
  numberConnected, accountNotRestricted, paymentValid, throughput, pairRate, serviceWindow,
  templateApproved, templateNotPaused, templateParameters, marketingOnCloudApi, portfolioMessagingLimit,
  categorisationPenalty, recipientReachable, userNotBlocked, marketingNotStopped, perUserMarketingCap,
  usMarketingPause,
];

/**
 * Runs the rules: throws the first SYNC failure as the Graph error; returns the first ASYNC failure
 * (or none). Then commits every rule's side effects for the accepted message.
 */
export function evaluateSendRules(a: SendAttempt): AsyncFailure | undefined {
  let failure: AsyncFailure | undefined;
  let failedBy: string | undefined;
  for (const rule of SEND_RULES) {
    const outcome = rule.check(a);
    if (!outcome) continue;
    if (outcome.mode === 'sync') fail(outcome.code, outcome.details, outcome.subcode ? { subcode: outcome.subcode } : {});
    failure = { code: outcome.code, details: outcome.details };
    failedBy = rule.name;
    break;
  }
  for (const rule of SEND_RULES) rule.commit?.(a, failedBy);
  return failure;
}
