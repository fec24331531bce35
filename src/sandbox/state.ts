// The sandbox's whole world, in memory: apps, portfolios, WABAs, numbers, tokens, simulated
// customers, templates, media, messages and logs. One `SandboxState` per sandbox app; `reset`
// rebuilds it from the seed. Every module of the sandbox reads and writes this object;
// state-store.ts keeps its durable parts across restarts.

import type {
  PhoneStatus, QualityScore, TemplateCategory, TemplateStatus,
  WireBusinessProfile, WireTemplateComponent, PricingCategory, PricingType, DeliveryStatus,
  SendMessageRequest, InboundMessage,
} from '../cloudapi/wire.js';
import { randomBytes, randomInt } from 'node:crypto';
import { SandboxClock } from './clock.js';
import { SeededRandom } from './random.js';

export interface SandboxOptions {
  /** Seed for every random choice the sandbox makes. */
  seed: number;
  /** HTTP status for throttling errors (4, 80007, 130429, 131056); Meta answers 400. */
  throttleHttpStatus: number;
  /** Delay before a submitted template is reviewed, ms of sandbox time. */
  templateReviewDelayMs: number;
  /** How long a media download URL stays valid, ms (Meta: 5 minutes). */
  mediaUrlTtlMs: number;
  /** Base URL the sandbox is reachable at, for media URLs it hands out. */
  publicBaseUrl: string;
  /** Error code for the portfolio messaging limit (Meta documents none; BSPs see 131048). */
  messagingLimitErrorCode: number;
  /** Pair rate: one message per `pairPeriodMs` per (number, recipient), with `pairBurst` borrowable. */
  pairPeriodMs: number;
  pairBurst: number;
  /** Webhook delivery retries: first retry after `webhookRetryBaseMs`, doubling, for `webhookRetryMaxAgeMs`. */
  webhookRetryBaseMs: number;
  webhookRetryMaxAgeMs: number;
  /** Chaos: probability a webhook is delivered twice; whether queued webhooks may be reordered. */
  chaosDuplicateRate: number;
  chaosReorder: boolean;
  /** Webhooks are batched: at most this many updates per POST, flushed after `webhookBatchMs`. */
  webhookBatchMax: number;
  webhookBatchMs: number;
  /** Default persona for customers that are not seeded explicitly. */
  defaultPersona: string;
  /** Request log ring size. */
  logLimit: number;
  /** Outbound messages kept (oldest forgotten first), so long load runs stay bounded in memory. */
  outboundLimit: number;
}

export const DEFAULT_OPTIONS: SandboxOptions = {
  seed: 42,
  throttleHttpStatus: 400,
  templateReviewDelayMs: 2_000,
  mediaUrlTtlMs: 5 * 60_000,
  publicBaseUrl: 'http://127.0.0.1:4010',
  messagingLimitErrorCode: 131048,
  pairPeriodMs: 6_000,
  pairBurst: 45,
  webhookRetryBaseMs: 15_000,
  webhookRetryMaxAgeMs: 36 * 3600_000,
  chaosDuplicateRate: 0,
  chaosReorder: false,
  webhookBatchMax: 100,
  webhookBatchMs: 0,
  defaultPersona: 'attentive',
  logLimit: 10_000,
  outboundLimit: 200_000,
};

export interface App {
  id: string;
  secret: string;
  /** Callback URL for webhooks; unset means webhooks are recorded in the log but not posted. */
  callbackUrl?: string;
  verifyToken?: string;
}

export interface Token {
  token: string;
  appId: string;
  /** WABAs this token may act on (a system user token is granted per WABA). */
  wabaIds: string[];
  /** Epoch ms; absent = never expires. */
  expiresAt?: number;
}

/** A business portfolio: messaging limits are per portfolio since Oct 2025, shared by its numbers. */
export interface Business {
  id: string;
  name: string;
  verified: boolean;
  /** 250, 2000, 10000, 100000 or -1 for unlimited. */
  messagingLimit: number;
  /** Per recipient wa_id: epoch ms of the last delivery outside a service window (moving 24 h). */
  outOfWindowDeliveries: Map<string, number>;
  /** Marked for template-categorisation abuse: sends fail with 131064. */
  categorisationPenalty: boolean;
}

export interface Waba {
  id: string;
  businessId: string;
  name: string;
  timezone: string;
  currency: string;
  /** App ids subscribed to this WABA's webhooks. */
  subscribedApps: string[];
  /** Per-WABA override of the app's callback (POST subscribed_apps override_callback_uri). */
  overrideCallbackUrl?: string;
  overrideVerifyToken?: string;
  /** Policy restriction: business-initiated sends fail with 368 until this epoch ms. */
  restrictedUntil?: number;
  locked: boolean;
  paymentValid: boolean;
  marketingDisabledOnCloudApi: boolean;
  /** Management API calls this hour (rate limit 80007). */
  managementCalls: number[];
}

export interface PhoneNumber {
  id: string;
  wabaId: string;
  /** Digits only, e.g. "15550783881". */
  displayPhoneNumber: string;
  verifiedName: string;
  status: PhoneStatus;
  registered: boolean;
  deleted: boolean;
  codeVerificationStatus: 'VERIFIED' | 'UNVERIFIED' | 'NOT_VERIFIED' | 'EXPIRED';
  nameStatus: string;
  pin?: string;
  pendingCode?: string;
  qualityRating: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  /** Messages per second; 80 default, up to 1000; 20 for coexistence numbers. */
  throughputMps: number;
  coexistence: boolean;
  /** Throughput bucket: tokens and the epoch ms they were counted at. */
  bucket: { tokens: number; at: number };
  /** Users this business has blocked (sends fail with 130403). */
  blockedUsers: Set<string>;
  profile: WireBusinessProfile;
  registerAttempts: number[];
}

export interface Persona {
  name: string;
  /** Probability the customer is reachable at all (not on WhatsApp otherwise: 131026). */
  reachable: number;
  /** Delivery delay range, ms. */
  deliverMs: [number, number];
  /** Probability of reading a delivered message, and delay range. */
  read: number;
  readMs: [number, number];
  /** Probability of replying to a read message, delay range and canned replies. */
  reply: number;
  replyMs: [number, number];
  replies: string[];
  /** Probability of blocking / reporting the business after a marketing message. */
  block: number;
  report: number;
  /** Probability of stopping marketing after a marketing message. */
  stopMarketing: number;
  /** Adaptive per-user marketing cap: delivered marketing templates per 24 h (131049 past it). */
  marketingCapPerDay: number;
}

export interface Customer {
  waId: string;
  name: string;
  persona: string;
  /** False → not a WhatsApp user: messages fail with 131026. */
  onWhatsApp: boolean;
  /** Per business phone-number id: epoch ms of the customer's last inbound message (service window). */
  lastInboundAt: Map<string, number>;
  /** Per business phone-number id: the free entry point (CTWA) state. */
  entryPoint: Map<string, { referralAt: number; fepUntil?: number }>;
  /** Business phone-number ids from which the customer stopped marketing messages. */
  marketingStopped: Set<string>;
  /** Business phone-number ids the customer blocked. */
  blockedBusiness: Set<string>;
  /** Epoch ms of delivered marketing templates (per-user cap), all businesses. */
  marketingDeliveries: number[];
  /** Epoch ms of the last 131049 refusal (retries inside 24 h extend the hold). */
  lastMarketingRefusalAt?: number;
  /** Pair-rate buckets per business phone-number id. */
  pairBuckets: Map<string, { tokens: number; at: number }>;
}

export interface Template {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  previousCategory?: TemplateCategory;
  parameterFormat: 'NAMED' | 'POSITIONAL';
  components: WireTemplateComponent[];
  status: TemplateStatus;
  rejectedReason: string;
  quality: QualityScore;
  qualityAt: number;
  /** Times it was paused for low quality (3 h, then 6 h, then disabled). */
  pauseCount: number;
  pausedUntil?: number;
  createdAt: number;
  /** Epoch ms of edits while APPROVED (≤1 per 24 h, ≤10 per 30 d). */
  approvedEdits: number[];
  messageSendTtlSeconds?: number;
  /** Recent customer reactions to sends of this template (quality input). */
  feedback: Array<{ at: number; negative: boolean }>;
}

export interface Media {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  sha256: string;
  bytes: Buffer;
  filename?: string;
  createdAt: number;
  /** Uploaded media lives 30 days; inbound media 7 days. */
  expiresAt: number;
  deleted: boolean;
  /** Download keys handed out, each valid until its epoch ms. */
  urlKeys: Map<string, number>;
}

export interface OutboundMessage {
  wamid: string;
  phoneNumberId: string;
  to: string;
  type: string;
  request: SendMessageRequest;
  templateId?: string;
  category: PricingCategory;
  pricingType: PricingType;
  billable: boolean;
  /** USD price from the rate card when billable. */
  priceUsd: number;
  status: DeliveryStatus | 'accepted';
  statusHistory: Array<{ status: DeliveryStatus; at: number }>;
  bizOpaqueCallbackData?: string;
  sentAt: number;
  /** Set when an asynchronous rule (131047, 131026, 131049, 131050…) fails the message. */
  failure?: { code: number; details: string };
  /** Whether the message was sent outside the recipient's service window. */
  outsideWindow: boolean;
  /** Free entry point conversation id, when sent inside an FEP window. */
  fepConversationId?: string;
}

export interface InboundRecord {
  wamid: string;
  phoneNumberId: string;
  from: string;
  type: string;
  at: number;
  readByBusiness: boolean;
  /** The inbound message as sent in the webhook (phone page and control API show it). */
  message?: InboundMessage;
}

export interface RequestLogEntry {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  response: unknown;
  errorCode?: number;
}

export interface WebhookLogEntry {
  seq: number;
  at: number;
  url: string;
  /** The exact bytes sent (already \u-escaped) and the signature over them. */
  body: string;
  signature: string;
  attempts: Array<{ at: number; status?: number; error?: string }>;
  delivered: boolean;
  /** What the payload carries, for filtering: messages / statuses / template… */
  field: string;
  wabaId: string;
  /** App whose secret signed the body. */
  appId?: string;
  /** Why it was not posted or gave up ("no callback", "gave up after …"). */
  reason?: string;
  /** Chaos: this POST repeats the entry with that seq. */
  duplicateOf?: number;
}

export class SandboxState {
  readonly clock: SandboxClock;
  readonly random: SeededRandom;
  readonly options: SandboxOptions;

  apps = new Map<string, App>();
  tokens = new Map<string, Token>();
  businesses = new Map<string, Business>();
  wabas = new Map<string, Waba>();
  phoneNumbers = new Map<string, PhoneNumber>();
  customers = new Map<string, Customer>();
  personas = new Map<string, Persona>();
  templates = new Map<string, Template>();
  media = new Map<string, Media>();
  outbound = new Map<string, OutboundMessage>();
  inbound = new Map<string, InboundRecord>();
  requestLog: RequestLogEntry[] = [];
  webhookLog: WebhookLogEntry[] = [];
  /** Names of deleted approved templates per WABA, with the epoch ms they become reusable. */
  deletedTemplateNames = new Map<string, number>();

  private seq = 0;
  private idCounter = 0;
  /**
   * Per-process parts of every id, from crypto rather than the seed: Meta's ids never repeat, so a
   * restarted sandbox (with no state kept, or state older than its last ids) must not repeat them.
   */
  private readonly idBase = randomInt(0, 100_000_000_000);
  private readonly runTag = randomBytes(8).toString('hex').toUpperCase();

  constructor(options: Partial<SandboxOptions> = {}, clock?: SandboxClock) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.clock = clock ?? new SandboxClock();
    this.random = new SeededRandom(this.options.seed);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Numeric Graph-style id (15 digits), unique within this state and, by `idBase`, across runs. */
  newId(): string {
    this.idCounter += 1;
    return String(100000000000000 + (this.idBase + this.idCounter) * 7919 + this.random.int(0, 7918));
  }

  /** A wamid in Meta's shape: "wamid." + base64 of an opaque id (≤128 chars), unique across runs. */
  newWamid(): string {
    const raw = `HBgL${this.random.digits(12)}FQIAERgS${this.random.token(18)}${this.runTag}${++this.idCounter}`;
    return `wamid.${Buffer.from(raw).toString('base64')}`;
  }

  /** Counters the state store keeps, so a restarted sandbox goes on where it stopped. */
  counters(): { seq: number; idCounter: number; random: number } {
    return { seq: this.seq, idCounter: this.idCounter, random: this.random.position() };
  }

  restoreCounters(c: { seq: number; idCounter: number; random: number }): void {
    this.seq = c.seq;
    this.idCounter = c.idCounter;
    this.random.restore(c.random);
  }

  fbtraceId(): string {
    return this.random.token(23);
  }
}
