// Control API for simulated customers and personas: list/create/edit customers, act as one
// (send any inbound type, block, report, stop or resume marketing), read and edit personas.

import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { SandboxContext } from './app.js';
import type { Customer, Persona } from './state.js';
import { newCustomer } from './seed.js';
import { ControlError, invalid, notFound, parseBody } from './control-error.js';
import { CUSTOMER_MESSAGE_TYPES, type CustomerMessageInput } from './customer-messages.js';

const CreateCustomer = Type.Object({
  waId: Type.String({ pattern: '^[0-9]{6,15}$' }), name: Type.Optional(Type.String({ maxLength: 200 })),
  persona: Type.Optional(Type.String()), onWhatsApp: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const EditCustomer = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })), persona: Type.Optional(Type.String()),
  onWhatsApp: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const Act = Type.Object({ phoneNumberId: Type.Optional(Type.String()), block: Type.Optional(Type.Boolean()) });
const Range = Type.Tuple([Type.Number({ minimum: 0 }), Type.Number({ minimum: 0 })]);
const Probability = Type.Number({ minimum: 0, maximum: 1 });
const PersonaBody = Type.Object({
  reachable: Probability, deliverMs: Range, read: Probability, readMs: Range, reply: Probability, replyMs: Range,
  replies: Type.Array(Type.String({ minLength: 1, maxLength: 4096 })), block: Probability, report: Probability,
  stopMarketing: Probability, marketingCapPerDay: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });
type Params = { waId: string };

const ACTIONS = ['block', 'unblock', 'report', 'stop-marketing', 'resume-marketing'] as const;

export function registerCustomerControlRoutes(scope: FastifyInstance, ctx: SandboxContext): void {
  scope.get('/customers', async () => ({ data: [...ctx.state.customers.values()].map((c) => customerView(ctx, c)) }));
  scope.get<{ Params: Params }>('/customers/:waId', async (req) => customerView(ctx, ctx.customers.requireCustomer(req.params.waId)));
  scope.post('/customers', async (req, reply) => {
    const body = parseBody(CreateCustomer, req.body);
    if (ctx.state.customers.has(body.waId)) invalid('customer_exists', `Customer ${body.waId} already exists; PATCH it instead`);
    const persona = requirePersona(ctx, body.persona ?? ctx.state.options.defaultPersona);
    // Reachability per send comes from the persona (rules.ts); onWhatsApp:false makes every send fail 131026.
    const onWhatsApp = body.onWhatsApp ?? true;
    const customer = newCustomer(ctx.state, body.waId, body.name, persona.name, onWhatsApp);
    ctx.state.customers.set(body.waId, customer);
    return reply.status(201).send(customerView(ctx, customer));
  });
  scope.patch<{ Params: Params }>('/customers/:waId', async (req) => {
    const customer = ctx.customers.requireCustomer(req.params.waId);
    const body = parseBody(EditCustomer, req.body);
    if (body.persona !== undefined) customer.persona = requirePersona(ctx, body.persona).name;
    if (body.name !== undefined) customer.name = body.name;
    if (body.onWhatsApp !== undefined) customer.onWhatsApp = body.onWhatsApp;
    return customerView(ctx, customer);
  });
  scope.post<{ Params: Params }>('/customers/:waId/messages', async (req) => {
    const input = messageInput(req.body);
    const message = ctx.customers.sendMessage(req.params.waId, input);
    return { wamid: message.id, message };
  });
  for (const action of ACTIONS) {
    scope.post<{ Params: Params }>(`/customers/:waId/${action}`, async (req) => {
      const { phoneNumberId, block } = parseBody(Act, req.body);
      const sim = ctx.customers;
      const waId = req.params.waId;
      if (action === 'block') sim.block(waId, phoneNumberId);
      else if (action === 'unblock') sim.unblock(waId, phoneNumberId);
      else if (action === 'report') sim.report(waId, phoneNumberId, block ?? false);
      else if (action === 'stop-marketing') sim.stopMarketing(waId, phoneNumberId);
      else sim.resumeMarketing(waId, phoneNumberId);
      return customerView(ctx, sim.requireCustomer(waId));
    });
  }
  registerPersonaRoutes(scope, ctx);
}

function registerPersonaRoutes(scope: FastifyInstance, ctx: SandboxContext): void {
  scope.get('/personas', async () => ({ data: [...ctx.state.personas.values()] }));
  scope.get<{ Params: { name: string } }>('/personas/:name', async (req) => requirePersona(ctx, req.params.name));
  scope.put<{ Params: { name: string } }>('/personas/:name', async (req) => {
    const name = req.params.name;
    if (!/^[a-z0-9_-]{1,40}$/.test(name)) invalid('invalid_name', 'Persona names are 1–40 of a-z, 0-9, _ and -');
    const body = parseBody(PersonaBody, req.body);
    for (const key of ['deliverMs', 'readMs', 'replyMs'] as const) {
      if (body[key][0] > body[key][1]) invalid('invalid_range', `${key} must be [min, max] with min ≤ max`);
    }
    const persona: Persona = { name, ...body };
    ctx.state.personas.set(name, persona);
    return persona;
  });
}

function requirePersona(ctx: SandboxContext, name: string): Persona {
  return ctx.state.personas.get(name) ?? notFound('persona', name);
}

function messageInput(body: unknown): CustomerMessageInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('invalid_request', 'Send a JSON object with a type');
  const input = body as CustomerMessageInput;
  if (!CUSTOMER_MESSAGE_TYPES.includes(input.type)) {
    throw new ControlError('invalid_type', `type must be one of ${CUSTOMER_MESSAGE_TYPES.join(', ')}`);
  }
  if (input.phoneNumberId !== undefined && typeof input.phoneNumberId !== 'string') invalid('invalid_request', 'phoneNumberId must be a string');
  return input;
}

/** A customer as JSON: sets and maps flattened, with the service window per business number. */
export function customerView(ctx: SandboxContext, c: Customer): Record<string, unknown> {
  const now = ctx.state.clock.now();
  const windows = [...c.lastInboundAt].map(([phoneNumberId, at]) => ({
    phoneNumberId, lastInboundAt: at, windowOpenUntil: at + 24 * 3600_000, open: now < at + 24 * 3600_000,
  }));
  return {
    waId: c.waId, name: c.name, persona: c.persona, onWhatsApp: c.onWhatsApp, windows,
    entryPoints: [...c.entryPoint].map(([phoneNumberId, e]) => ({ phoneNumberId, ...e })),
    marketingStopped: [...c.marketingStopped], blockedBusiness: [...c.blockedBusiness],
    marketingDeliveries: c.marketingDeliveries.length,
  };
}
