// Seeding: the accounts (app, portfolio, WABA, numbers, tokens), customers and templates the
// sandbox starts with, from config or the control API. `DEFAULT_SEED` is what `npm run sandbox`
// and `npm start` use when nothing else is given.

import type { MessagingLimitTier, TemplateCategory, WireTemplateComponent } from '../cloudapi/wire.js';
import { BUILTIN_PERSONAS } from './personas.js';
import type { SandboxState } from './state.js';

export interface SeedSpec {
  apps?: Array<{ id: string; secret: string; callbackUrl?: string; verifyToken?: string }>;
  businesses?: Array<{ id: string; name?: string; verified?: boolean; messagingLimit?: number }>;
  wabas?: Array<{
    id: string; businessId: string; name?: string; timezone?: string; currency?: string;
    subscribedApps?: string[]; marketingDisabledOnCloudApi?: boolean; paymentValid?: boolean;
  }>;
  phoneNumbers?: Array<{
    id: string; wabaId: string; displayPhoneNumber: string; verifiedName?: string;
    registered?: boolean; throughputMps?: number; coexistence?: boolean; pin?: string;
    qualityRating?: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  }>;
  tokens?: Array<{ token: string; appId: string; wabaIds: string[]; expiresAt?: number }>;
  customers?: Array<{ waId: string; name?: string; persona?: string; onWhatsApp?: boolean }>;
  /** Templates created already APPROVED (no review delay). */
  templates?: Array<{
    id?: string; wabaId: string; name: string; language: string; category: TemplateCategory;
    parameterFormat?: 'NAMED' | 'POSITIONAL'; components: WireTemplateComponent[];
  }>;
}

export const DEFAULT_SEED: SeedSpec = {
  apps: [{ id: '900000000000001', secret: 'sandbox-app-secret', verifyToken: 'sandbox-verify-token' }],
  businesses: [{ id: '800000000000001', name: 'Demo Business', verified: false, messagingLimit: 250 }],
  wabas: [{ id: '700000000000001', businessId: '800000000000001', name: 'Demo WABA', subscribedApps: ['900000000000001'] }],
  phoneNumbers: [{ id: '600000000000001', wabaId: '700000000000001', displayPhoneNumber: '15550001111', verifiedName: 'Demo Shop' }],
  tokens: [{ token: 'sandbox-token', appId: '900000000000001', wabaIds: ['700000000000001'] }],
  customers: [
    { waId: '79161234567', name: 'Иван Петров', persona: 'attentive' },
    { waId: '447911123456', name: 'Olivia Smith', persona: 'attentive' },
    { waId: '5511987654321', name: 'Ana Souza', persona: 'slow' },
    { waId: '14155550123', name: 'John Doe', persona: 'silent' },
  ],
  templates: [
    {
      wabaId: '700000000000001', name: 'hello_world', language: 'en_US', category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello, this is Demo Shop. How can we help you today?' }],
    },
    {
      wabaId: '700000000000001', name: 'order_update', language: 'en_US', category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way.', example: { body_text: [['Ann', '#1042']] } }],
    },
    {
      wabaId: '700000000000001', name: 'order_update', language: 'ru', category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Здравствуйте, {{1}}! Ваш заказ {{2}} уже в пути.', example: { body_text: [['Анна', '№1042']] } }],
    },
  ],
};

/**
 * A rating request for CSAT outside the 24-hour window (Settings → Satisfaction): no variables, and
 * quick-reply buttons that start with the rating, so each tap carries it back. Part of the demo that
 * `npm start` runs (DEMO_SEED), not of the bare DEFAULT_SEED the sandbox's own tests start from.
 */
export const CSAT_DEMO_TEMPLATES: NonNullable<SeedSpec['templates']> = [
  {
    wabaId: '700000000000001', name: 'csat_rating', language: 'en_US', category: 'UTILITY',
    components: [
      { type: 'BODY', text: 'Thank you for contacting Demo Shop. How would you rate the help you received? Tap a score from 5 (excellent) to 1 (very poor).' },
      { type: 'BUTTONS', buttons: ['5 – Excellent', '4 – Good', '3 – Okay', '2 – Poor', '1 – Very poor'].map((text) => ({ type: 'QUICK_REPLY' as const, text })) },
    ],
  },
  {
    wabaId: '700000000000001', name: 'csat_rating', language: 'ru', category: 'UTILITY',
    components: [
      { type: 'BODY', text: 'Спасибо, что обратились в Demo Shop! Оцените, пожалуйста, нашу помощь: нажмите оценку от 5 (отлично) до 1 (очень плохо).' },
      { type: 'BUTTONS', buttons: ['5 – Отлично', '4 – Хорошо', '3 – Нормально', '2 – Плохо', '1 – Очень плохо'].map((text) => ({ type: 'QUICK_REPLY' as const, text })) },
    ],
  },
];

/** What `npm start`'s embedded sandbox starts with: the default seed and the demo's CSAT templates. */
export const DEMO_SEED: SeedSpec = { ...DEFAULT_SEED, templates: [...(DEFAULT_SEED.templates ?? []), ...CSAT_DEMO_TEMPLATES] };

const LIMIT_TIERS: Record<number, MessagingLimitTier> = {
  250: 'TIER_250', 2000: 'TIER_2K', 10000: 'TIER_10K', 100000: 'TIER_100K', [-1]: 'TIER_UNLIMITED',
};

export function tierOf(limit: number): MessagingLimitTier {
  return LIMIT_TIERS[limit] ?? 'TIER_250';
}

/** Applies a seed on top of the (possibly empty) state; entities with known ids are replaced. */
export function seedState(state: SandboxState, spec: SeedSpec = DEFAULT_SEED): void {
  const now = state.clock.now();
  for (const p of BUILTIN_PERSONAS) state.personas.set(p.name, p);
  for (const a of spec.apps ?? []) state.apps.set(a.id, { ...a });
  for (const b of spec.businesses ?? []) {
    state.businesses.set(b.id, {
      id: b.id, name: b.name ?? 'Business', verified: b.verified ?? false,
      messagingLimit: b.messagingLimit ?? (b.verified ? 2000 : 250),
      outOfWindowDeliveries: new Map(), categorisationPenalty: false,
    });
  }
  for (const w of spec.wabas ?? []) {
    state.wabas.set(w.id, {
      id: w.id, businessId: w.businessId, name: w.name ?? 'WABA', timezone: w.timezone ?? 'UTC',
      currency: w.currency ?? 'USD', subscribedApps: w.subscribedApps ?? [...state.apps.keys()],
      locked: false, paymentValid: w.paymentValid ?? true,
      marketingDisabledOnCloudApi: w.marketingDisabledOnCloudApi ?? false, managementCalls: [],
    });
  }
  for (const n of spec.phoneNumbers ?? []) {
    const registered = n.registered ?? true;
    const mps = n.coexistence ? 20 : (n.throughputMps ?? 80);
    state.phoneNumbers.set(n.id, {
      id: n.id, wabaId: n.wabaId, displayPhoneNumber: n.displayPhoneNumber.replace(/\D/g, ''),
      verifiedName: n.verifiedName ?? 'Sandbox Business', status: registered ? 'CONNECTED' : 'PENDING',
      registered, deleted: false, codeVerificationStatus: registered ? 'VERIFIED' : 'NOT_VERIFIED',
      nameStatus: 'APPROVED', ...(n.pin ? { pin: n.pin } : {}), qualityRating: n.qualityRating ?? 'GREEN',
      throughputMps: mps, coexistence: n.coexistence ?? false, bucket: { tokens: mps, at: now },
      blockedUsers: new Set(), profile: { messaging_product: 'whatsapp', about: 'Hello from the sandbox', websites: [] },
      registerAttempts: [],
    });
  }
  for (const t of spec.tokens ?? []) state.tokens.set(t.token, { ...t });
  for (const c of spec.customers ?? []) {
    state.customers.set(c.waId, newCustomer(state, c.waId, c.name, c.persona, c.onWhatsApp));
  }
  for (const t of spec.templates ?? []) {
    const id = t.id ?? state.newId();
    state.templates.set(id, {
      id, wabaId: t.wabaId, name: t.name, language: t.language, category: t.category,
      parameterFormat: t.parameterFormat ?? 'POSITIONAL', components: t.components, status: 'APPROVED',
      rejectedReason: 'NONE', quality: 'UNKNOWN', qualityAt: now, pauseCount: 0, createdAt: now,
      approvedEdits: [], feedback: [],
    });
  }
}

export function newCustomer(state: SandboxState, waId: string, name?: string, persona?: string, onWhatsApp?: boolean) {
  return {
    waId, name: name ?? `Customer ${waId.slice(-4)}`, persona: persona ?? state.options.defaultPersona,
    onWhatsApp: onWhatsApp ?? true, lastInboundAt: new Map<string, number>(),
    entryPoint: new Map<string, { referralAt: number; fepUntil?: number }>(),
    marketingStopped: new Set<string>(), blockedBusiness: new Set<string>(),
    marketingDeliveries: [] as number[], pairBuckets: new Map<string, { tokens: number; at: number }>(),
  };
}
