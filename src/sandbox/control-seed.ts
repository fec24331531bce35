// Validation of a SeedSpec given to the control API: its shape (TypeBox schema, checked by
// Fastify) and its references (a WABA's business, a number's WABA, a token's app…).

import { Type } from '@sinclair/typebox';
import type { SandboxState } from './state.js';
import type { SeedSpec } from './seed.js';
import { BUILTIN_PERSONAS } from './personas.js';
import { invalid } from './control-error.js';

const Id = Type.String({ pattern: '^[0-9]{1,20}$' });
const Digits = Type.String({ pattern: '^\\+?[0-9]{6,15}$' });
const Category = Type.Union([Type.Literal('MARKETING'), Type.Literal('UTILITY'), Type.Literal('AUTHENTICATION')]);
const Quality = Type.Union([Type.Literal('GREEN'), Type.Literal('YELLOW'), Type.Literal('RED'), Type.Literal('UNKNOWN')]);
const Limit = Type.Union([250, 2000, 10000, 100000, -1].map((n) => Type.Literal(n)));
const strict = { additionalProperties: false };

export const SeedSpecSchema = Type.Object({
  apps: Type.Optional(Type.Array(Type.Object({
    id: Id, secret: Type.String({ minLength: 1 }), callbackUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    verifyToken: Type.Optional(Type.String()),
  }, strict))),
  businesses: Type.Optional(Type.Array(Type.Object({
    id: Id, name: Type.Optional(Type.String()), verified: Type.Optional(Type.Boolean()), messagingLimit: Type.Optional(Limit),
  }, strict))),
  wabas: Type.Optional(Type.Array(Type.Object({
    id: Id, businessId: Id, name: Type.Optional(Type.String()), timezone: Type.Optional(Type.String()),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })), subscribedApps: Type.Optional(Type.Array(Id)),
    marketingDisabledOnCloudApi: Type.Optional(Type.Boolean()), paymentValid: Type.Optional(Type.Boolean()),
  }, strict))),
  phoneNumbers: Type.Optional(Type.Array(Type.Object({
    id: Id, wabaId: Id, displayPhoneNumber: Digits, verifiedName: Type.Optional(Type.String()),
    registered: Type.Optional(Type.Boolean()), throughputMps: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    coexistence: Type.Optional(Type.Boolean()), pin: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    qualityRating: Type.Optional(Quality),
  }, strict))),
  tokens: Type.Optional(Type.Array(Type.Object({
    token: Type.String({ minLength: 1 }), appId: Id, wabaIds: Type.Array(Id), expiresAt: Type.Optional(Type.Number()),
  }, strict))),
  customers: Type.Optional(Type.Array(Type.Object({
    waId: Type.String({ pattern: '^[0-9]{6,15}$' }), name: Type.Optional(Type.String()),
    persona: Type.Optional(Type.String()), onWhatsApp: Type.Optional(Type.Boolean()),
  }, strict))),
  templates: Type.Optional(Type.Array(Type.Object({
    id: Type.Optional(Id), wabaId: Id, name: Type.String({ pattern: '^[a-z0-9_]{1,512}$' }),
    language: Type.String({ minLength: 2 }), category: Category,
    parameterFormat: Type.Optional(Type.Union([Type.Literal('NAMED'), Type.Literal('POSITIONAL')])),
    components: Type.Array(Type.Object({ type: Type.String() })),
  }, strict))),
}, strict);

/** Every reference must point to something in the spec or (when seeding on top) in the state. */
export function checkSeedReferences(state: SandboxState | undefined, spec: SeedSpec): void {
  const has = (ids: Array<{ id: string }> | undefined, map: Map<string, unknown> | undefined, id: string): boolean =>
    (ids ?? []).some((x) => x.id === id) || (map?.has(id) ?? false);
  for (const w of spec.wabas ?? []) {
    if (!has(spec.businesses, state?.businesses, w.businessId)) invalid('unknown_reference', `WABA ${w.id}: no business ${w.businessId}`);
    for (const a of w.subscribedApps ?? []) if (!has(spec.apps, state?.apps, a)) invalid('unknown_reference', `WABA ${w.id}: no app ${a}`);
  }
  for (const n of spec.phoneNumbers ?? []) {
    if (!has(spec.wabas, state?.wabas, n.wabaId)) invalid('unknown_reference', `Phone number ${n.id}: no WABA ${n.wabaId}`);
  }
  for (const t of spec.tokens ?? []) {
    if (!has(spec.apps, state?.apps, t.appId)) invalid('unknown_reference', `Token: no app ${t.appId}`);
    for (const w of t.wabaIds) if (!has(spec.wabas, state?.wabas, w)) invalid('unknown_reference', `Token: no WABA ${w}`);
  }
  for (const t of spec.templates ?? []) {
    if (!has(spec.wabas, state?.wabas, t.wabaId)) invalid('unknown_reference', `Template ${t.name}: no WABA ${t.wabaId}`);
  }
  const personas = new Set([...BUILTIN_PERSONAS.map((p) => p.name), ...(state?.personas.keys() ?? [])]);
  for (const c of spec.customers ?? []) {
    if (c.persona !== undefined && !personas.has(c.persona)) invalid('unknown_persona', `Customer ${c.waId}: no persona '${c.persona}'`);
  }
}
