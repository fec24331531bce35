// Control API for account state Meta would change on its side: number status/throughput/quality,
// portfolio limits and verification, WABA restrictions, app callbacks (with the verification
// handshake) and forced template review — each emitting the webhook Meta would send.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { SandboxContext } from './app.js';
import type { Business, PhoneNumber, Waba } from './state.js';
import { tierOf } from './seed.js';
import { statusUpdateValue } from './template-review.js';
import { invalid, notFound, parseBody } from './control-error.js';

const Status = Type.Union(['CONNECTED', 'DISCONNECTED', 'UNVERIFIED', 'PENDING', 'FLAGGED', 'RESTRICTED', 'OFFLINE', 'BANNED'].map((s) => Type.Literal(s)));
const Quality = Type.Union(['GREEN', 'YELLOW', 'RED', 'UNKNOWN'].map((s) => Type.Literal(s)));
const strict = { additionalProperties: false };
const NumberPatch = Type.Object({
  status: Type.Optional(Status), throughputMps: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  qualityRating: Type.Optional(Quality), registered: Type.Optional(Type.Boolean()),
}, strict);
const BusinessPatch = Type.Object({
  messagingLimit: Type.Optional(Type.Union([250, 2000, 10000, 100000, -1].map((n) => Type.Literal(n)))),
  verified: Type.Optional(Type.Boolean()),
}, strict);
const WabaPatch = Type.Object({
  restrictedUntil: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.String(), Type.Null()])),
  locked: Type.Optional(Type.Boolean()), paymentValid: Type.Optional(Type.Boolean()),
  marketingDisabledOnCloudApi: Type.Optional(Type.Boolean()),
}, strict);
const Callback = Type.Object({
  url: Type.Union([Type.String({ minLength: 1 }), Type.Null()]), verifyToken: Type.Optional(Type.String({ minLength: 1 })),
}, strict);
const Review = Type.Object({
  status: Type.Union([Type.Literal('APPROVED'), Type.Literal('REJECTED')]),
  reason: Type.Optional(Type.String({ pattern: '^[A-Z_]+$' })),
}, strict);
type IdParams = { Params: { id: string } };

export function registerAccountControlRoutes(scope: FastifyInstance, ctx: SandboxContext): void {
  scope.get('/phone-numbers', async () => ({ data: [...ctx.state.phoneNumbers.values()].map(numberView) }));
  scope.patch<IdParams>('/phone-numbers/:id', async (req) => {
    const number = ctx.state.phoneNumbers.get(req.params.id) ?? notFound('phone number', req.params.id);
    patchNumber(ctx, number, parseBody(NumberPatch, req.body));
    return numberView(number);
  });
  scope.patch<IdParams>('/businesses/:id', async (req) => {
    const business = ctx.state.businesses.get(req.params.id) ?? notFound('business', req.params.id);
    patchBusiness(ctx, business, parseBody(BusinessPatch, req.body));
    const { outOfWindowDeliveries, ...rest } = business;
    return { ...rest, outOfWindowRecipients24h: outOfWindowDeliveries.size };
  });
  scope.patch<IdParams>('/wabas/:id', async (req) => {
    const waba = ctx.state.wabas.get(req.params.id) ?? notFound('waba', req.params.id);
    patchWaba(ctx, waba, parseBody(WabaPatch, req.body));
    return waba;
  });
  scope.post<IdParams>('/apps/:id/callback', async (req) => {
    const app = ctx.state.apps.get(req.params.id) ?? notFound('app', req.params.id);
    const { url, verifyToken } = parseBody(Callback, req.body);
    if (url === null) {
      delete app.callbackUrl;
      return { id: app.id, callbackUrl: null };
    }
    const token = verifyToken ?? app.verifyToken;
    if (!token) invalid('missing_verify_token', 'verifyToken is required (the app has none yet)');
    // Like Meta's dashboard: the callback is saved only after the GET handshake succeeds.
    const result = await ctx.webhooks.verifyCallback(url, token);
    if (!result.ok) invalid('callback_verification_failed', `Callback not saved: ${result.reason}`);
    app.callbackUrl = url;
    app.verifyToken = token;
    return { id: app.id, callbackUrl: url, verified: true };
  });
  scope.post<IdParams>('/templates/:id/review', async (req) => {
    const template = ctx.state.templates.get(req.params.id) ?? notFound('template', req.params.id);
    const { status, reason } = parseBody(Review, req.body);
    template.status = status;
    template.rejectedReason = status === 'REJECTED' ? (reason ?? 'INVALID_FORMAT') : 'NONE';
    ctx.webhooks.emit(template.wabaId, {
      field: 'message_template_status_update',
      value: statusUpdateValue(template, status, { reason: template.rejectedReason }),
    });
    return { id: template.id, name: template.name, language: template.language, status, rejectedReason: template.rejectedReason };
  });
}

function patchNumber(ctx: SandboxContext, number: PhoneNumber, body: Static<typeof NumberPatch>): void {
  const before = number.throughputMps;
  if (body.status !== undefined) number.status = body.status as PhoneNumber['status'];
  if (body.qualityRating !== undefined) number.qualityRating = body.qualityRating as PhoneNumber['qualityRating'];
  if (body.registered !== undefined) number.registered = body.registered;
  if (body.throughputMps !== undefined) {
    number.throughputMps = body.throughputMps;
    number.bucket = { tokens: body.throughputMps, at: ctx.state.clock.now() };
  }
  if (body.throughputMps !== undefined && body.throughputMps > before) {
    // Meta announces a throughput upgrade on phone_number_quality_update.
    // https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput
    const business = businessOfWaba(ctx, number.wabaId);
    ctx.webhooks.emit(number.wabaId, {
      field: 'phone_number_quality_update',
      value: {
        display_phone_number: number.displayPhoneNumber, event: 'THROUGHPUT_UPGRADE',
        current_limit: tierOf(business?.messagingLimit ?? 250),
        max_daily_conversations_per_business: business?.messagingLimit ?? 250,
      },
    });
  }
}

/** Verification lifts a 250 limit to 2K; any new limit is announced to every WABA of the portfolio. */
function patchBusiness(ctx: SandboxContext, business: Business, body: Static<typeof BusinessPatch>): void {
  const before = business.messagingLimit;
  if (body.verified !== undefined) business.verified = body.verified;
  if (body.messagingLimit !== undefined) business.messagingLimit = body.messagingLimit;
  else if (body.verified && business.messagingLimit === 250) business.messagingLimit = 2000;
  if (business.messagingLimit === before) return;
  for (const waba of ctx.state.wabas.values()) {
    if (waba.businessId !== business.id) continue;
    ctx.webhooks.emit(waba.id, {
      field: 'business_capability_update',
      value: { max_daily_conversation_per_phone: business.messagingLimit, max_daily_conversations_per_business: business.messagingLimit },
    });
  }
}

/** Restrictions and locks reach the business as account_update events. */
function patchWaba(ctx: SandboxContext, waba: Waba, body: Static<typeof WabaPatch>): void {
  if (body.paymentValid !== undefined) waba.paymentValid = body.paymentValid;
  if (body.marketingDisabledOnCloudApi !== undefined) waba.marketingDisabledOnCloudApi = body.marketingDisabledOnCloudApi;
  if (body.restrictedUntil !== undefined) {
    const until = toEpochMs(body.restrictedUntil);
    if (until === undefined) delete waba.restrictedUntil;
    else {
      waba.restrictedUntil = until;
      ctx.webhooks.emit(waba.id, {
        field: 'account_update',
        value: { event: 'ACCOUNT_RESTRICTION', restriction_info: [{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: Math.floor(until / 1000) }] },
      });
    }
  }
  if (body.locked !== undefined && body.locked !== waba.locked) {
    waba.locked = body.locked;
    ctx.webhooks.emit(waba.id, {
      field: 'account_update',
      value: {
        event: 'DISABLED_UPDATE',
        ban_info: { waba_ban_state: [body.locked ? 'DISABLE' : 'REINSTATE'], waba_ban_date: new Date(ctx.state.clock.now()).toISOString().slice(0, 10) },
      },
    });
  }
}

function toEpochMs(value: number | string | null): number | undefined {
  if (value === null) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) invalid('invalid_request', 'restrictedUntil must be epoch ms, an ISO date or null');
  return ms;
}

function businessOfWaba(ctx: SandboxContext, wabaId: string): Business | undefined {
  const waba = ctx.state.wabas.get(wabaId);
  return waba ? ctx.state.businesses.get(waba.businessId) : undefined;
}

function numberView(n: PhoneNumber): Record<string, unknown> {
  return {
    id: n.id, wabaId: n.wabaId, displayPhoneNumber: n.displayPhoneNumber, verifiedName: n.verifiedName,
    status: n.status, registered: n.registered, deleted: n.deleted, qualityRating: n.qualityRating,
    throughputMps: n.throughputMps, coexistence: n.coexistence, blockedUsers: [...n.blockedUsers],
  };
}
