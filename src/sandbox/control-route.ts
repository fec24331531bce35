// The sandbox's control API under /_sandbox/…: seed, reset, options, clock, logs, webhook flush,
// plus (in sibling modules) customers, personas and account state. JSON in and out; errors are
// {error:{code, message}} with 400/404 — this is our own API, not Meta's surface.

import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { SandboxContext } from './app.js';
import { DEFAULT_OPTIONS, type OutboundMessage, type SandboxOptions } from './state.js';
import { seedState, type SeedSpec } from './seed.js';
import { ControlError, invalid, parseBody } from './control-error.js';
import { SeedSpecSchema, checkSeedReferences } from './control-seed.js';
import { registerCustomerControlRoutes } from './control-customers.js';
import { registerAccountControlRoutes } from './control-accounts.js';

export function registerControlRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  void app.register(async (scope) => {
    installControlErrors(scope);
    // A catch-all (not a not-found handler): Graph's parametric /:version/:id would match first.
    scope.all('/*', async (req, reply) => reply.status(404).send({
      error: { code: 'unknown_route', message: `No control route ${req.method} ${req.url.split('?')[0]}` },
    }));
    registerWorldRoutes(scope, ctx);
    registerLogRoutes(scope, ctx);
    registerCustomerControlRoutes(scope, ctx);
    registerAccountControlRoutes(scope, ctx);
  }, { prefix: '/_sandbox' });
}

/** JSON parsing that accepts an empty body, and errors as {error:{code, message}} for this scope. */
export function installControlErrors(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') { done(null, {}); return; }
    try { done(null, JSON.parse(text)); } catch {
      done(new ControlError('invalid_json', 'The request body is not valid JSON'), undefined);
    }
  });
  scope.setErrorHandler((err: FastifyError | ControlError, req, reply) => {
    if (err instanceof ControlError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message } });
    }
    if (err.validation) {
      return reply.status(400).send({ error: { code: 'invalid_request', message: err.message } });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      const code = status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_content_type' : 'bad_request';
      return reply.status(status === 413 || status === 415 ? status : 400).send({ error: { code, message: err.message } });
    }
    req.log.error({ err }, 'sandbox control error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong in the sandbox' } });
  });
}

const AdvanceSchema = Type.Object({ ms: Type.Number({ minimum: 0, maximum: 400 * 24 * 3600_000 }) }, { additionalProperties: false });
const ResetSchema = Type.Object({ seed: Type.Optional(SeedSpecSchema) });

function registerWorldRoutes(scope: FastifyInstance, ctx: SandboxContext): void {
  scope.post('/seed', async (req) => {
    if (req.body === undefined) invalid('invalid_request', 'Send a SeedSpec JSON object');
    const spec = parseBody(SeedSpecSchema, req.body) as SeedSpec;
    checkSeedReferences(ctx.state, spec);
    seedState(ctx.state, spec);
    return { ok: true, ...countsOf(ctx) };
  });
  scope.post('/reset', async (req) => {
    const { seed } = parseBody(ResetSchema, req.body);
    if (seed) checkSeedReferences(undefined, seed as SeedSpec);
    ctx.reset(seed as SeedSpec | undefined);
    return { ok: true, ...countsOf(ctx) };
  });
  scope.get('/options', async () => ctx.state.options);
  scope.patch('/options', async (req) => {
    patchOptions(ctx.state.options, req.body);
    return ctx.state.options;
  });
  scope.get('/clock', async () => clockView(ctx));
  scope.post('/clock/advance', async (req) => {
    ctx.state.clock.advance(parseBody(AdvanceSchema, req.body).ms);
    return clockView(ctx);
  });
  scope.post('/webhooks/flush', async () => {
    await ctx.webhooks.idle();
    return { ok: true, pendingRetries: ctx.webhooks.pendingRetries() };
  });
}

function countsOf(ctx: SandboxContext): Record<string, number> {
  const s = ctx.state;
  return {
    apps: s.apps.size, businesses: s.businesses.size, wabas: s.wabas.size, phoneNumbers: s.phoneNumbers.size,
    tokens: s.tokens.size, customers: s.customers.size, templates: s.templates.size,
  };
}

function clockView(ctx: SandboxContext): Record<string, unknown> {
  const now = ctx.state.clock.now();
  return { now, iso: new Date(now).toISOString(), nowSeconds: Math.floor(now / 1000), scheduled: ctx.state.clock.pending() };
}

/** Options that may change at run time, each checked against its type and range. */
const OPTION_RANGES: Partial<Record<keyof SandboxOptions, [number, number]>> = {
  throttleHttpStatus: [400, 599], chaosDuplicateRate: [0, 1], webhookBatchMax: [1, 1000],
  messagingLimitErrorCode: [1, 99_999_999], pairBurst: [0, 1_000_000], logLimit: [10, 1_000_000], outboundLimit: [100, 10_000_000],
};

export function patchOptions(options: SandboxOptions, body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('invalid_request', 'Send a JSON object of options to change');
  const changes: Array<[keyof SandboxOptions, unknown]> = [];
  for (const [key, value] of Object.entries(body)) {
    if (!(key in DEFAULT_OPTIONS)) invalid('unknown_option', `Unknown option '${key}'; known: ${Object.keys(DEFAULT_OPTIONS).join(', ')}`);
    if (key === 'seed') invalid('read_only_option', `'seed' is fixed at start; reset with SANDBOX_SEED to change it`);
    const k = key as keyof SandboxOptions;
    const expected = typeof DEFAULT_OPTIONS[k];
    if (typeof value !== expected) invalid('invalid_option', `Option '${key}' must be a ${expected}`);
    if (typeof value === 'number') {
      const [min, max] = OPTION_RANGES[k] ?? [0, Number.MAX_SAFE_INTEGER];
      if (!Number.isFinite(value) || value < min || value > max) invalid('invalid_option', `Option '${key}' must be between ${min} and ${max}`);
    }
    changes.push([k, value]);
  }
  Object.assign(options, Object.fromEntries(changes));
}

/** Logged answers are kept as text; the log shows them as JSON where they are JSON. */
function parsedResponse(response: unknown): unknown {
  if (typeof response !== 'string') return response;
  try { return JSON.parse(response) as unknown; } catch { return response; }
}

function registerLogRoutes(scope: FastifyInstance, ctx: SandboxContext): void {
  scope.get('/log/requests', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const since = intParam(q.since, 'since', 0);
    const errorCode = q.errorCode !== undefined ? intParam(q.errorCode, 'errorCode', 0) : undefined;
    const method = q.method?.toUpperCase();
    const entries = ctx.state.requestLog.filter((e) => e.seq > since
      && (method === undefined || e.method === method)
      && (q.path === undefined || e.path.includes(q.path))
      && (errorCode === undefined || e.errorCode === errorCode));
    const { data, lastSeq } = page(entries, intParam(q.limit, 'limit', 100), since > 0);
    return { data: data.map((e) => ({ ...e, response: parsedResponse(e.response) })), lastSeq };
  });
  scope.get('/log/webhooks', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const since = intParam(q.since, 'since', 0);
    if (q.delivered !== undefined && q.delivered !== 'true' && q.delivered !== 'false') invalid('invalid_query', 'delivered must be true or false');
    const entries = ctx.state.webhookLog.filter((e) => e.seq > since
      && (q.field === undefined || e.field === q.field)
      && (q.delivered === undefined || String(e.delivered) === q.delivered));
    const { data, lastSeq } = page(entries, intParam(q.limit, 'limit', 100), since > 0);
    return { data: data.map((e) => ({ ...e, payload: JSON.parse(e.body) as unknown })), lastSeq };
  });
  scope.get('/messages', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const to = q.to?.replace(/\D/g, '');
    const matches: OutboundMessage[] = [];
    for (const m of ctx.state.outbound.values()) {
      if ((to === undefined || m.to.replace(/\D/g, '') === to) && (q.status === undefined || m.status === q.status)
        && (q.phoneNumberId === undefined || m.phoneNumberId === q.phoneNumberId)) matches.push(m);
    }
    const limit = intParam(q.limit, 'limit', 100);
    return { data: matches.slice(-Math.min(limit, 10_000)).map(outboundView) };
  });
}

/** `limit` entries, oldest first: the first ones after `since` when polling, else the newest. */
function page<T extends { seq: number }>(entries: T[], limit: number, polling: boolean): { data: T[]; lastSeq: number } {
  const n = Math.max(1, Math.min(limit, 10_000));
  const data = polling ? entries.slice(0, n) : entries.slice(-n);
  return { data, lastSeq: data[data.length - 1]?.seq ?? 0 };
}

export function intParam(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) invalid('invalid_query', `${name} must be a non-negative integer`);
  return n;
}

export function outboundView(m: OutboundMessage): Record<string, unknown> {
  return {
    wamid: m.wamid, phoneNumberId: m.phoneNumberId, to: m.to, type: m.type, templateId: m.templateId,
    status: m.status, statusHistory: m.statusHistory, failure: m.failure, sentAt: m.sentAt,
    outsideWindow: m.outsideWindow, bizOpaqueCallbackData: m.bizOpaqueCallbackData,
    pricing: { category: m.category, type: m.pricingType, billable: m.billable, priceUsd: m.priceUsd },
    ...(m.fepConversationId ? { fepConversationId: m.fepConversationId } : {}),
    request: m.request,
  };
}
