// Messaging limits: the portfolio's tier, whether a send uses a new unique out-of-window slot in
// the moving 24 h, and the budget left. https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits
import { SERVICE_WINDOW_MS } from './window.js';

/** Current tiers plus the legacy TIER_50 / TIER_1K that older numbers and webhooks still report. */
export type LimitTier = 'TIER_50' | 'TIER_250' | 'TIER_1K' | 'TIER_2K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED';

interface TierInfo { tier: LimitTier; limit: number; label: string }

/** Ordered low → high. `limit` is unique recipients per moving 24 h; Infinity for unlimited. */
export const LIMIT_TIERS: readonly TierInfo[] = [
  { tier: 'TIER_50', limit: 50, label: '50' },
  { tier: 'TIER_250', limit: 250, label: '250' },
  { tier: 'TIER_1K', limit: 1_000, label: '1K' },
  { tier: 'TIER_2K', limit: 2_000, label: '2K' },
  { tier: 'TIER_10K', limit: 10_000, label: '10K' },
  { tier: 'TIER_100K', limit: 100_000, label: '100K' },
  { tier: 'TIER_UNLIMITED', limit: Number.POSITIVE_INFINITY, label: 'Unlimited' },
];

/** Current portfolio ladder (Oct 2025 rules): 250 → 2K → 10K → 100K → unlimited. */
const CURRENT_LADDER: readonly LimitTier[] = ['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'];

export function tierLimit(tier: LimitTier): number {
  return LIMIT_TIERS.find((t) => t.tier === tier)?.limit ?? 250;
}

export function tierLabel(tier: LimitTier): string {
  return LIMIT_TIERS.find((t) => t.tier === tier)?.label ?? tier;
}

/**
 * Read a messaging limit as Meta sends it: a tier name ('TIER_2K'), or a number of recipients
 * (business_capability_update: 250 | 2000 | 10000 | 100000 | -1 for unlimited), possibly as a string.
 */
export function parseLimitTier(value: unknown): LimitTier | null {
  if (typeof value === 'string') {
    const upper = value.trim().toUpperCase();
    const named = LIMIT_TIERS.find((t) => t.tier === upper || `TIER_${t.label.toUpperCase()}` === upper);
    if (named) return named.tier;
    if (upper === 'UNLIMITED') return 'TIER_UNLIMITED';
    if (!/^-?\d+$/.test(upper)) return null;
    return parseLimitTier(Number(upper));
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value === -1) return 'TIER_UNLIMITED';
  return LIMIT_TIERS.find((t) => t.limit === value)?.tier ?? null;
}

/** The next tier up on the current ladder, or null at unlimited. Legacy tiers join the ladder above their value. */
export function nextTier(tier: LimitTier): LimitTier | null {
  const limit = tierLimit(tier);
  return CURRENT_LADDER.find((t) => tierLimit(t) > limit) ?? null;
}

/**
 * Does sending to this contact use a new slot? Why: the limit counts unique users delivered to
 * *outside* a customer service window in a moving 24 h; messages inside a CSW, and users already
 * counted in the last 24 h, take no new slot (messaging-limits page).
 */
export function consumesNewSlot(input: { serviceWindowOpen: boolean; contactAlreadyCounted: boolean }): boolean {
  return !input.serviceWindowOpen && !input.contactAlreadyCounted;
}

/** Slots left (Infinity for unlimited; never negative). */
export function remainingBudget(tier: LimitTier, uniqueRecipients24h: number): number {
  return Math.max(0, tierLimit(tier) - Math.max(0, uniqueRecipients24h));
}

/** A past out-of-window delivery (one row per message; duplicates per contact are fine). */
export interface CountedDelivery { waId: string; at: number }

/** Unique recipients in the moving 24 h ending at `now`, the oldest counted time, and when its slot frees. */
export function countWindow(deliveries: readonly CountedDelivery[], now: number): {
  unique: number; oldestAt: number | null; nextSlotFreesAt: number | null; counted: ReadonlySet<string>;
} {
  const since = now - SERVICE_WINDOW_MS;
  // A recipient's slot is held by their latest delivery in the window.
  const latest = new Map<string, number>();
  for (const d of deliveries) {
    if (d.at <= since || d.at > now) continue;
    latest.set(d.waId, Math.max(latest.get(d.waId) ?? d.at, d.at));
  }
  let oldest: number | null = null;
  for (const at of latest.values()) oldest = oldest === null ? at : Math.min(oldest, at);
  return {
    unique: latest.size,
    oldestAt: oldest,
    nextSlotFreesAt: oldest === null ? null : oldest + SERVICE_WINDOW_MS,
    counted: new Set(latest.keys()),
  };
}

/** The decision the policy engine needs: may this send go out, and if not, when a slot frees. */
export function checkMessagingLimit(input: {
  tier: LimitTier; uniqueRecipients24h: number; serviceWindowOpen: boolean; contactAlreadyCounted: boolean;
  oldestCountedAt?: number | null | undefined;
}): { ok: true } | { ok: false; retryAt?: number } {
  if (!consumesNewSlot(input)) return { ok: true };
  if (remainingBudget(input.tier, input.uniqueRecipients24h) > 0) return { ok: true };
  return input.oldestCountedAt == null ? { ok: false } : { ok: false, retryAt: input.oldestCountedAt + SERVICE_WINDOW_MS };
}
