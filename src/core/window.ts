// Customer service window (CSW) and free entry point (FEP) math. All times are epoch milliseconds;
// `now` is always an argument. Meta: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages

export const HOUR_MS = 60 * 60 * 1000;
/** The CSW lasts 24 h from the customer's last inbound message (or call). */
export const SERVICE_WINDOW_MS = 24 * HOUR_MS;
/** A business reply must come within 24 h of a click-to-WhatsApp inbound to open an FEP. */
export const ENTRY_POINT_REPLY_MS = 24 * HOUR_MS;
/** The FEP window lasts 72 h, counted from the business's reply. */
export const ENTRY_POINT_WINDOW_MS = 72 * HOUR_MS;

export type EpochMs = number;

/**
 * When the CSW closes. The window is the half-open interval [lastInboundAt, lastInboundAt + 24 h):
 * at exactly 24 h it is closed, matching Meta's "more than 24 hours have passed" (error 131047) with
 * no grace we cannot verify.
 */
export function windowExpiresAt(lastInboundAt: EpochMs | null | undefined): EpochMs | null {
  if (lastInboundAt == null || !Number.isFinite(lastInboundAt)) return null;
  return lastInboundAt + SERVICE_WINDOW_MS;
}

export function isWindowOpen(lastInboundAt: EpochMs | null | undefined, now: EpochMs): boolean {
  const expiresAt = windowExpiresAt(lastInboundAt);
  return expiresAt !== null && now < expiresAt;
}

/** Milliseconds left in the CSW (0 when closed), for the inbox countdown. */
export function windowRemainingMs(lastInboundAt: EpochMs | null | undefined, now: EpochMs): number {
  const expiresAt = windowExpiresAt(lastInboundAt);
  return expiresAt === null ? 0 : Math.max(0, expiresAt - now);
}

/**
 * The new "last inbound at" after a message. Why only inbound: the CSW "resets to 24 hours on every
 * new user message"; the business's own messages never extend it (messages/send-messages). Webhooks
 * arrive out of order, so an older inbound never moves the window backwards.
 */
export function nextLastInboundAt(
  current: EpochMs | null | undefined,
  message: { direction: 'inbound' | 'outbound'; at: EpochMs },
): EpochMs | null {
  const base = current ?? null;
  if (message.direction !== 'inbound' || !Number.isFinite(message.at)) return base;
  return base === null ? message.at : Math.max(base, message.at);
}

/** Referral fields that matter for the FEP (see core/inbound's `InboundReferral`). */
export interface EntryPointReferral { sourceType?: string; ctwaClid?: string }

/**
 * Whether an inbound message's referral came from a free entry point: a Click-to-WhatsApp ad or a
 * Facebook Page call-to-action. Why: only those open an FEP (pricing page, "Free entry point").
 * Meta also requires the Android/iOS app, which the webhook does not tell us; we assume it.
 */
export function isEntryPointReferral(referral: EntryPointReferral | null | undefined): boolean {
  if (!referral) return false;
  if (referral.ctwaClid) return true;
  return referral.sourceType === 'ad' || referral.sourceType === 'post';
}

/**
 * The FEP expiry after the business replies at `replyAt` (any message type), or the unchanged
 * current expiry. Why: "If the business responds within 24 hours, that response is free and opens a
 * 72-hour free entry point window, counted from the response"
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing). Later replies
 * inside an open FEP do not extend it.
 */
export function entryPointAfterReply(input: {
  entryPointInboundAt: EpochMs | null | undefined;
  currentExpiresAt: EpochMs | null | undefined;
  replyAt: EpochMs;
}): EpochMs | null {
  const current = input.currentExpiresAt ?? null;
  if (current !== null && input.replyAt < current) return current;
  const inboundAt = input.entryPointInboundAt;
  if (inboundAt == null) return current;
  const inTime = input.replyAt >= inboundAt && input.replyAt < inboundAt + ENTRY_POINT_REPLY_MS;
  // A reply after an FEP that already ran out cannot start a second one from the same inbound.
  if (!inTime || (current !== null && current > inboundAt)) return current;
  return input.replyAt + ENTRY_POINT_WINDOW_MS;
}

export function isEntryPointOpen(entryPointExpiresAt: EpochMs | null | undefined, now: EpochMs): boolean {
  return entryPointExpiresAt != null && now < entryPointExpiresAt;
}

export interface WindowState {
  serviceWindowOpen: boolean;
  serviceWindowExpiresAt: EpochMs | null;
  serviceWindowRemainingMs: number;
  entryPointOpen: boolean;
  entryPointExpiresAt: EpochMs | null;
}

/** Everything the inbox and the policy engine want to know about a conversation's windows. */
export function describeWindow(
  conversation: { lastInboundAt: EpochMs | null | undefined; entryPointExpiresAt?: EpochMs | null | undefined },
  now: EpochMs,
): WindowState {
  const fep = conversation.entryPointExpiresAt ?? null;
  return {
    serviceWindowOpen: isWindowOpen(conversation.lastInboundAt, now),
    serviceWindowExpiresAt: windowExpiresAt(conversation.lastInboundAt),
    serviceWindowRemainingMs: windowRemainingMs(conversation.lastInboundAt, now),
    entryPointOpen: isEntryPointOpen(fep, now),
    entryPointExpiresAt: fep,
  };
}
