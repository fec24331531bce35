// The WhatsApp business profile of a phone number: GET returns Meta's flat {data:[{…}]} shape,
// POST updates it within Meta's limits (about 1–139, address 256, description 512, email 128,
// ≤2 websites of ≤256 with http(s)://, vertical from the enum).
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WireBusinessProfile } from '../cloudapi/wire.js';
import type { SandboxContext } from './app.js';
import { fail } from './graph-errors.js';
import { assertMessagingProduct, jsonBody, parseFields, pickFields } from './management-input.js';
import type { PhoneNumber } from './state.js';

const PROFILE_FIELDS = ['about', 'address', 'description', 'email', 'profile_picture_url', 'websites', 'vertical', 'messaging_product'] as const;

export const VERTICALS = [
  '', 'UNDEFINED', 'OTHER', 'ALCOHOL', 'APPAREL', 'AUTO', 'BEAUTY', 'EDU', 'ENTERTAIN', 'EVENT_PLAN', 'FINANCE',
  'GOVT', 'GROCERY', 'HEALTH', 'HOTEL', 'NONPROFIT', 'ONLINE_GAMBLING', 'OTC_DRUGS', 'PHYSICAL_GAMBLING',
  'PROF_SERVICES', 'RESTAURANT', 'RETAIL', 'TRAVEL',
] as const;

const WRITABLE = ['about', 'address', 'description', 'email', 'websites', 'vertical', 'profile_picture_handle'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type NumberLookup = (ctx: SandboxContext, req: FastifyRequest, id: string) => PhoneNumber;

export function registerProfileRoutes(app: FastifyInstance, ctx: SandboxContext, numberOf: NumberLookup): void {
  app.get<{ Params: { phoneNumberId: string } }>('/:version/:phoneNumberId/whatsapp_business_profile', async (req) => {
    const phone = numberOf(ctx, req, req.params.phoneNumberId);
    const fields = parseFields((req.query as Record<string, unknown>).fields);
    const full: Record<string, unknown> = { ...phone.profile, messaging_product: 'whatsapp' };
    const picked = pickFields(full, fields, [...PROFILE_FIELDS], 'WhatsAppBusinessProfile', PROFILE_FIELDS);
    return { data: [{ ...picked, messaging_product: 'whatsapp' }] };
  });
  app.post<{ Params: { phoneNumberId: string } }>('/:version/:phoneNumberId/whatsapp_business_profile', async (req) => {
    const phone = numberOf(ctx, req, req.params.phoneNumberId);
    phone.profile = updatedProfile(phone.profile, jsonBody(req), ctx.state.options.publicBaseUrl);
    return { success: true };
  });
}

function text(body: Record<string, unknown>, key: string, min: number, max: number): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(100, `Param ${key} must be a string`);
  if (value.length < min || value.length > max) {
    fail(100, min > 0 ? `Param ${key} must be between ${min} and ${max} characters long` : `Param ${key} must be at most ${max} characters long`);
  }
  return value;
}

/** The profile after applying a POST body; throws Meta's (#100) for the first invalid field. */
export function updatedProfile(current: WireBusinessProfile, body: Record<string, unknown>, baseUrl: string): WireBusinessProfile {
  assertMessagingProduct(body);
  const unknown = Object.keys(body).find((k) => k !== 'messaging_product' && !WRITABLE.includes(k));
  if (unknown) fail(100, `Param ${unknown} is not a valid business profile field`);
  const next: WireBusinessProfile = { ...current };
  const about = text(body, 'about', 1, 139);
  const address = text(body, 'address', 0, 256);
  const description = text(body, 'description', 0, 512);
  const email = text(body, 'email', 0, 128);
  if (email && !EMAIL.test(email)) fail(100, 'Param email must be a valid email address');
  if (about !== undefined) next.about = about;
  if (address !== undefined) next.address = address;
  if (description !== undefined) next.description = description;
  if (email !== undefined) next.email = email;
  if (body.vertical !== undefined) {
    if (typeof body.vertical !== 'string' || !(VERTICALS as readonly string[]).includes(body.vertical)) {
      fail(100, `Param vertical must be one of {${VERTICALS.filter((v) => v).join(', ')}}`);
    }
    next.vertical = body.vertical;
  }
  if (body.websites !== undefined) next.websites = websites(body.websites);
  if (body.profile_picture_handle !== undefined) {
    if (typeof body.profile_picture_handle !== 'string' || body.profile_picture_handle === '') fail(100, 'Param profile_picture_handle must be an upload handle');
    next.profile_picture_url = `${baseUrl}/_sandbox/profile-pictures/${encodeURIComponent(body.profile_picture_handle)}`;
  }
  return next;
}

function websites(value: unknown): string[] {
  if (!Array.isArray(value)) fail(100, 'Param websites must be an array of URLs');
  if (value.length > 2) fail(100, 'Param websites can have at most 2 URLs');
  for (const site of value) {
    if (typeof site !== 'string' || site.length > 256 || !/^https?:\/\/\S+$/i.test(site)) {
      fail(100, 'Each website must be at most 256 characters and start with http:// or https://');
    }
  }
  return value as string[];
}
