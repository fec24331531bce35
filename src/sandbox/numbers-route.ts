// Business accounts and phone numbers: list a WABA's numbers, number and WABA fields, the
// registration ladder (request_code → verify_code → register / deregister, two-step PIN) and
// subscribed apps. The business profile lives in business-profile.ts.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers

import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { assertWabaAccess, type SandboxContext } from './app.js';
import { fail, unknownObject } from './graph-errors.js';
import { assertMessagingProduct, countManagementCall, jsonBody, optionalString, paramsOf, parseFields, pickFields, requiredString } from './management-input.js';
import { registerProfileRoutes } from './business-profile.js';
import { tierOf } from './seed.js';
import type { PhoneNumber, SandboxState, Waba } from './state.js';

const REGISTER_WINDOW_MS = 72 * 3600_000;
/** Why: register/deregister is limited to 10 requests per number in 72 h (133016), https://developers.facebook.com/docs/whatsapp/cloud-api/reference/registration */
const REGISTER_ATTEMPTS = 10;

const PHONE_FIELDS = [
  'id', 'verified_name', 'display_phone_number', 'quality_rating', 'status', 'code_verification_status',
  'name_status', 'new_name_status', 'messaging_limit_tier', 'whatsapp_business_manager_messaging_limit',
  'throughput', 'platform_type', 'account_mode', 'is_official_business_account', 'is_pin_enabled',
  'health_status', 'webhook_configuration',
] as const;
const PHONE_DEFAULT = ['verified_name', 'display_phone_number', 'id', 'quality_rating'];
const PHONE_LIST_DEFAULT = ['verified_name', 'code_verification_status', 'display_phone_number', 'quality_rating', 'platform_type', 'throughput', 'id'];
const WABA_FIELDS = [
  'id', 'name', 'timezone_id', 'currency', 'message_template_namespace', 'account_review_status',
  'business_verification_status', 'on_behalf_of_business_info', 'ownership_type', 'health_status',
] as const;
const WABA_DEFAULT = ['id', 'name', 'timezone_id', 'message_template_namespace'];

export function registerNumberRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { wabaId: string } }>('/:version/:wabaId/phone_numbers', async (req) => listNumbers(ctx, req, wabaOf(ctx, req, req.params.wabaId)));
  app.post<{ Params: { phoneNumberId: string } }>('/:version/:phoneNumberId/register', async (req) => register(ctx, req, numberOf(ctx, req, req.params.phoneNumberId)));
  app.post<{ Params: { phoneNumberId: string } }>('/:version/:phoneNumberId/deregister', async (req) => deregister(ctx, numberOf(ctx, req, req.params.phoneNumberId)));
  app.post<{ Params: { phoneNumberId: string } }>('/:version/:phoneNumberId/request_code', async (req) => requestCode(ctx, req, numberOf(ctx, req, req.params.phoneNumberId)));
  app.post<{ Params: { phoneNumberId: string } }>('/:version/:phoneNumberId/verify_code', async (req) => verifyCode(req, numberOf(ctx, req, req.params.phoneNumberId)));
  app.get<{ Params: { wabaId: string } }>('/:version/:wabaId/subscribed_apps', async (req) => listSubscriptions(ctx, wabaOf(ctx, req, req.params.wabaId)));
  app.post<{ Params: { wabaId: string } }>('/:version/:wabaId/subscribed_apps', async (req) => subscribe(ctx, req, wabaOf(ctx, req, req.params.wabaId)));
  app.delete<{ Params: { wabaId: string } }>('/:version/:wabaId/subscribed_apps', async (req) => unsubscribe(req, wabaOf(ctx, req, req.params.wabaId)));
  registerProfileRoutes(app, ctx, numberOf);
}

export function numberOf(ctx: SandboxContext, req: FastifyRequest, id: string): PhoneNumber {
  const phone = ctx.state.phoneNumbers.get(id);
  if (!phone || phone.deleted) unknownObject(id);
  assertWabaAccess(req, phone.wabaId);
  const waba = ctx.state.wabas.get(phone.wabaId);
  if (waba) countManagementCall(ctx.state, waba);
  return phone;
}

function wabaOf(ctx: SandboxContext, req: FastifyRequest, id: string): Waba {
  const waba = ctx.state.wabas.get(id);
  if (!waba) unknownObject(id);
  assertWabaAccess(req, id);
  countManagementCall(ctx.state, waba);
  return waba;
}

/** "+1 555-000-1111" for NANP numbers (Meta's style), international format otherwise. */
export function formatDisplayNumber(digits: string): string {
  if (/^1\d{10}$/.test(digits)) return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  return parsePhoneNumberFromString(`+${digits}`)?.formatInternational() ?? `+${digits}`;
}

function canSend(state: SandboxState, phone: PhoneNumber): boolean {
  const waba = state.wabas.get(phone.wabaId);
  return phone.registered && phone.status === 'CONNECTED' && !!waba && !waba.locked && !(waba.restrictedUntil && waba.restrictedUntil > state.clock.now());
}

function phoneToWire(state: SandboxState, phone: PhoneNumber): Record<string, unknown> {
  const waba = state.wabas.get(phone.wabaId);
  const tier = tierOf(state.businesses.get(waba?.businessId ?? '')?.messagingLimit ?? 250);
  const app = state.apps.get(waba?.subscribedApps[0] ?? '');
  const available = canSend(state, phone) ? 'AVAILABLE' : 'BLOCKED';
  return {
    id: phone.id,
    verified_name: phone.verifiedName,
    display_phone_number: formatDisplayNumber(phone.displayPhoneNumber),
    quality_rating: phone.qualityRating,
    status: phone.status,
    code_verification_status: phone.codeVerificationStatus,
    name_status: phone.nameStatus,
    new_name_status: 'NONE',
    messaging_limit_tier: tier,
    whatsapp_business_manager_messaging_limit: tier,
    throughput: { level: phone.throughputMps > 80 ? 'HIGH' : 'STANDARD' },
    platform_type: phone.registered ? 'CLOUD_API' : 'NOT_APPLICABLE',
    account_mode: 'LIVE',
    is_official_business_account: false,
    is_pin_enabled: phone.pin !== undefined,
    health_status: { can_send_message: available, entities: [{ entity_type: 'PHONE_NUMBER', id: phone.id, can_send_message: available }] },
    webhook_configuration: {
      ...(app?.callbackUrl ? { application: app.callbackUrl } : {}),
      ...(waba?.overrideCallbackUrl ? { whatsapp_business_account: waba.overrideCallbackUrl } : {}),
    },
  };
}

/** GET /{phone-number-id}?fields=… */
export function getPhoneNumber(ctx: SandboxContext, req: FastifyRequest, phone: PhoneNumber): Record<string, unknown> {
  assertWabaAccess(req, phone.wabaId);
  const fields = parseFields((req.query as Record<string, unknown>).fields);
  return pickFields(phoneToWire(ctx.state, phone), fields, PHONE_DEFAULT, 'WhatsAppBusinessPhoneNumber', PHONE_FIELDS);
}

function listNumbers(ctx: SandboxContext, req: FastifyRequest, waba: Waba): Record<string, unknown> {
  const fields = parseFields((req.query as Record<string, unknown>).fields);
  const numbers = [...ctx.state.phoneNumbers.values()].filter((p) => p.wabaId === waba.id && !p.deleted);
  const data = numbers.map((p) => pickFields(phoneToWire(ctx.state, p), fields, PHONE_LIST_DEFAULT, 'WhatsAppBusinessPhoneNumber', PHONE_FIELDS));
  const cursor = (id: string | undefined) => Buffer.from(id ?? '').toString('base64url');
  return { data, paging: { cursors: { before: cursor(numbers[0]?.id), after: cursor(numbers[numbers.length - 1]?.id) } } };
}

function assertPin(value: unknown): string {
  const pin = typeof value === 'number' ? String(value) : value;
  if (typeof pin !== 'string' || !/^\d{6}$/.test(pin)) fail(100, 'Param pin must be a 6-digit number');
  return pin;
}

/** Register/deregister count against the same 10-per-72-hours budget. */
function countRegisterAttempt(state: SandboxState, phone: PhoneNumber): void {
  const now = state.clock.now();
  phone.registerAttempts = phone.registerAttempts.filter((at) => at > now - REGISTER_WINDOW_MS);
  if (phone.registerAttempts.length >= REGISTER_ATTEMPTS) {
    fail(133016, `Too many register/deregister requests for this phone number: at most ${REGISTER_ATTEMPTS} in 72 hours`);
  }
  phone.registerAttempts.push(now);
}

function register(ctx: SandboxContext, req: FastifyRequest, phone: PhoneNumber): Record<string, unknown> {
  const body = jsonBody(req);
  assertMessagingProduct(body);
  const pin = assertPin(body.pin);
  countRegisterAttempt(ctx.state, phone);
  if (phone.codeVerificationStatus !== 'VERIFIED') {
    fail(133006, 'The phone number must be verified (request_code, then verify_code) before it can be registered');
  }
  // Registering also sets two-step verification; a number that has a PIN must be given that PIN.
  if (phone.pin !== undefined && phone.pin !== pin) fail(133005, 'The two-step verification PIN does not match the PIN set on this number');
  phone.pin = pin;
  phone.registered = true;
  phone.status = 'CONNECTED';
  return { success: true };
}

function deregister(ctx: SandboxContext, phone: PhoneNumber): Record<string, unknown> {
  countRegisterAttempt(ctx.state, phone);
  phone.registered = false;
  phone.status = 'DISCONNECTED';
  return { success: true };
}

/** POST /{id}/request_code {code_method: SMS|VOICE, language}. The code is in state (control API). */
function requestCode(ctx: SandboxContext, req: FastifyRequest, phone: PhoneNumber): Record<string, unknown> {
  const params = paramsOf(req);
  const method = requiredString(params, 'code_method').toUpperCase();
  if (method !== 'SMS' && method !== 'VOICE') fail(100, `Param code_method must be one of {SMS, VOICE} - got "${method}"`);
  const language = optionalString(params, 'language') ?? optionalString(params, 'locale');
  if (!language) fail(100, 'The parameter language is required');
  if (!/^[a-z]{2,3}(?:_[A-Za-z]{2,4})?$/.test(language)) fail(100, `Param language must be a locale code like en_US - got "${language}"`);
  phone.pendingCode = ctx.state.random.digits(6);
  return { success: true };
}

function verifyCode(req: FastifyRequest, phone: PhoneNumber): Record<string, unknown> {
  const code = requiredString(paramsOf(req), 'code');
  if (phone.pendingCode === undefined || phone.pendingCode !== code.replace(/\D/g, '')) {
    fail(136025, "Code couldn't be verified, You have entered wrong code", { title: 'Verify code error' });
  }
  delete phone.pendingCode;
  phone.codeVerificationStatus = 'VERIFIED';
  return { success: true };
}

/** POST /{phone-number-id} {pin}: change the two-step verification PIN. */
export function updatePhoneNumber(req: FastifyRequest, phone: PhoneNumber): Record<string, unknown> {
  assertWabaAccess(req, phone.wabaId);
  const body = jsonBody(req);
  if (body.pin === undefined) fail(100, 'The parameter pin is required');
  phone.pin = assertPin(body.pin);
  return { success: true };
}

/** Meta's template namespace (a UUID written with underscores), stable per WABA. */
function namespaceOf(wabaId: string): string {
  const hex = createHash('sha256').update(`namespace:${wabaId}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('_');
}

/** GET /{waba-id}?fields=… */
export function getWaba(ctx: SandboxContext, req: FastifyRequest, waba: Waba): Record<string, unknown> {
  assertWabaAccess(req, waba.id);
  const business = ctx.state.businesses.get(waba.businessId);
  const restricted = waba.locked || (waba.restrictedUntil !== undefined && waba.restrictedUntil > ctx.state.clock.now());
  const full = {
    id: waba.id,
    name: waba.name,
    timezone_id: waba.timezone,
    currency: waba.currency,
    message_template_namespace: namespaceOf(waba.id),
    account_review_status: 'APPROVED',
    business_verification_status: business?.verified ? 'verified' : 'not_verified',
    on_behalf_of_business_info: { id: waba.businessId, name: business?.name ?? 'Business', status: 'APPROVED', type: 'SELF' },
    ownership_type: 'SELF',
    health_status: { can_send_message: restricted ? 'BLOCKED' : 'AVAILABLE', entities: [{ entity_type: 'WABA', id: waba.id, can_send_message: restricted ? 'BLOCKED' : 'AVAILABLE' }] },
  };
  return pickFields(full, parseFields((req.query as Record<string, unknown>).fields), WABA_DEFAULT, 'WhatsAppBusinessAccount', WABA_FIELDS);
}

function listSubscriptions(ctx: SandboxContext, waba: Waba): Record<string, unknown> {
  return {
    data: waba.subscribedApps.map((id) => ({
      whatsapp_business_api_data: { id, name: `Sandbox app ${id}`, link: `https://www.facebook.com/games/?app_id=${id}` },
      ...(waba.overrideCallbackUrl && ctx.state.apps.has(id) ? { override_callback_uri: waba.overrideCallbackUrl } : {}),
    })),
  };
}

/**
 * POST /{waba-id}/subscribed_apps [override_callback_uri, verify_token]: subscribes the token's
 * app; an override callback must pass Meta's verification handshake first (error 2200 if not).
 */
async function subscribe(ctx: SandboxContext, req: FastifyRequest, waba: Waba): Promise<Record<string, unknown>> {
  const params = paramsOf(req);
  const uri = optionalString(params, 'override_callback_uri');
  const verifyToken = optionalString(params, 'verify_token');
  if (uri) {
    if (!verifyToken) fail(100, 'The parameter verify_token is required with override_callback_uri');
    const check = await ctx.webhooks.verifyCallback(uri, verifyToken);
    if (!check.ok) fail(2200, `Callback verification failed with the following errors: ${check.reason}`, { title: 'Callback verification failed' });
    waba.overrideCallbackUrl = uri;
    waba.overrideVerifyToken = verifyToken;
  } else if (uri === '') {
    delete waba.overrideCallbackUrl;
    delete waba.overrideVerifyToken;
  }
  const appId = req.graphToken!.appId;
  if (!waba.subscribedApps.includes(appId)) waba.subscribedApps.push(appId);
  return { success: true };
}

function unsubscribe(req: FastifyRequest, waba: Waba): Record<string, unknown> {
  const appId = req.graphToken!.appId;
  waba.subscribedApps = waba.subscribedApps.filter((id) => id !== appId);
  delete waba.overrideCallbackUrl;
  delete waba.overrideVerifyToken;
  return { success: true };
}
