// The sandbox's Fastify app: Meta's Graph surface under /{version}/…, the control API under
// /_sandbox/…, and a phone page for chatting as a customer. Built without listening, so tests and
// `npm start` can mount it on any port. It shares only wire *types* with Parley's own client.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { GraphFailure, errorEnvelope, fail, httpStatusOf } from './graph-errors.js';
import { SandboxState, type SandboxOptions, type Token } from './state.js';
import type { SandboxClock } from './clock.js';
import { WebhookDispatcher } from './webhooks.js';
import { CustomerSimulator } from './customers.js';
import { TemplateQuality } from './template-quality.js';
import { registerSendRoutes } from './send-route.js';
import { registerMediaRoutes } from './media-route.js';
import { registerTemplateRoutes } from './templates-route.js';
import { registerNumberRoutes } from './numbers-route.js';
import { registerObjectRoutes } from './objects-route.js';
import { registerControlRoutes } from './control-route.js';
import { registerPhonePage } from './phone-page.js';
import { installSecurityHeaders } from './security-headers.js';
import { seedState, type SeedSpec } from './seed.js';
import { SandboxStateStore, StatePersister } from './state-store.js';
import { reviewPendingTemplates } from './templates-route.js';
import { BUILTIN_PERSONAS } from './personas.js';

/** Everything a sandbox route module needs. */
export interface SandboxContext {
  state: SandboxState;
  webhooks: WebhookDispatcher;
  customers: CustomerSimulator;
  templateQuality: TemplateQuality;
  /** Rebuilds the whole world from the original options and seed (control API `reset`). */
  reset(seed?: SeedSpec): void;
}

export interface BuildSandboxOptions {
  options?: Partial<SandboxOptions>;
  seed?: SeedSpec;
  clock?: SandboxClock;
  logger?: boolean;
  /** SQLite file keeping the state across restarts (absent: in memory only). */
  stateFile?: string;
  /** Discard what `stateFile` kept and start from the seed. */
  resetState?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The bearer token that authenticated a Graph request. */
    graphToken?: Token;
  }
}

/** Graph API versions the sandbox answers: v18.0 and later. */
const VERSION = /^v(\d+)\.(\d+)$/;
export const MIN_VERSION = 18;

export function isGraphPath(url: string): boolean {
  const first = url.split('/')[1] ?? '';
  return VERSION.test(first);
}

export async function buildSandbox(opts: BuildSandboxOptions = {}): Promise<{ app: FastifyInstance; ctx: SandboxContext }> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 4 * 1024 * 1024 });
  const { ctx, persister } = createContext(opts);

  await app.register(multipart, { limits: { fileSize: 100 * 1024 * 1024, files: 1 } });
  await installSecurityHeaders(app);
  installErrorHandling(app, ctx);
  installGraphAuth(app, ctx);
  installRequestLog(app, ctx);

  registerSendRoutes(app, ctx);
  registerMediaRoutes(app, ctx);
  registerTemplateRoutes(app, ctx);
  registerNumberRoutes(app, ctx);
  registerObjectRoutes(app, ctx);
  registerControlRoutes(app, ctx);
  registerPhonePage(app, ctx);

  // Any request may change the state (sends, control API, media URLs): the save follows shortly after.
  if (persister) app.addHook('onResponse', async () => persister.touch());
  app.addHook('onClose', async () => {
    ctx.state.clock.clear();
    persister?.close();
    await ctx.webhooks.close();
  });
  return { app, ctx };
}

function openPersister(file: string, reset: boolean, current: () => SandboxState): StatePersister {
  const store = new SandboxStateStore(file);
  if (reset) store.clear();
  return new StatePersister(store, current, (err) => {
    process.stderr.write(`sandbox: could not save its state to ${file}: ${err.message}\n`);
  });
}

/** After a restore: personas added to the sandbox since are there too; pending reviews go on. */
function restored(ctx: SandboxContext): void {
  for (const p of BUILTIN_PERSONAS) if (!ctx.state.personas.has(p.name)) ctx.state.personas.set(p.name, p);
  reviewPendingTemplates(ctx);
}

function createContext(opts: BuildSandboxOptions): { ctx: SandboxContext; persister: StatePersister | undefined } {
  const ctx = {} as SandboxContext;
  const persister = opts.stateFile ? openPersister(opts.stateFile, opts.resetState ?? false, () => ctx.state) : undefined;
  const build = (seed: SeedSpec | undefined, restore: boolean): void => {
    const state = new SandboxState(opts.options ?? {}, opts.clock);
    ctx.state = state;
    ctx.webhooks = new WebhookDispatcher(state);
    ctx.templateQuality = new TemplateQuality(state, ctx.webhooks);
    ctx.customers = new CustomerSimulator(state, ctx.webhooks, ctx.templateQuality);
    state.clock.onTaskRun = persister?.touch;
    if (restore && persister?.load(state)) restored(ctx);
    else seedState(state, seed ?? opts.seed);
  };
  ctx.reset = (seed?: SeedSpec) => {
    ctx.state.clock.clear();
    void ctx.webhooks.close();
    build(seed, false);
    persister?.startOver();
  };
  build(undefined, true);
  // A fresh or restored world is on disk from the start, not only after its first change.
  persister?.flush();
  return { ctx, persister };
}

/** Every error, ours or Fastify's (bad JSON, wrong content type, too large), in Meta's envelope. */
function installErrorHandling(app: FastifyInstance, ctx: SandboxContext): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const failure = toGraphFailure(err);
    if (failure.code === 131000 || failure.code === 1) req.log.error({ err }, 'sandbox internal error');
    void reply
      .status(httpStatusOf(failure, ctx.state.options.throttleHttpStatus))
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorEnvelope(failure, ctx.state.fbtraceId()));
  });
  app.setNotFoundHandler((req, reply) => {
    const failure = new GraphFailure({
      code: 100,
      subcode: 33,
      title: `Unsupported ${req.method.toLowerCase()} request`,
      details: `Unknown path components: ${req.url.split('?')[0]}`,
    });
    void reply.status(400).send(errorEnvelope(failure, ctx.state.fbtraceId()));
  });
}

function toGraphFailure(err: unknown): GraphFailure {
  if (err instanceof GraphFailure) return err;
  const e = err as { code?: string; statusCode?: number; message?: string; validation?: unknown };
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GraphFailure({ code: 100, details: 'The request body is not valid JSON' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new GraphFailure({ code: 100, http: 413, details: 'The request body is too large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GraphFailure({ code: 100, details: `Unsupported content type; send application/json` });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new GraphFailure({ code: 100, details: 'Expected multipart/form-data' });
  }
  if (e.validation) return new GraphFailure({ code: 100, details: e.message ?? 'Invalid parameter' });
  if (typeof e.statusCode === 'number' && e.statusCode < 500) {
    return new GraphFailure({ code: 100, details: e.message ?? 'Invalid request' });
  }
  return new GraphFailure({ code: 131000, details: 'Something went wrong in the sandbox' });
}

/** Bearer auth for Graph routes: missing, unknown or expired token → 190 with HTTP 401. */
function installGraphAuth(app: FastifyInstance, ctx: SandboxContext): void {
  app.addHook('onRequest', async (req) => {
    if (!isGraphPath(req.url)) return;
    const version = VERSION.exec(req.url.split('/')[1] ?? '');
    if (!version || Number(version[1]) < MIN_VERSION) {
      fail(100, `Unsupported API version; the sandbox answers v${MIN_VERSION}.0 and later`, { subcode: 2635 });
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const fromQuery = (req.query as Record<string, unknown> | undefined)?.access_token;
    const value = match?.[1] ?? (typeof fromQuery === 'string' ? fromQuery : undefined);
    if (!value) fail(190, 'An access token is required to request this resource', { title: 'An active access token must be used to query information about the current user.' });
    const token = ctx.state.tokens.get(value);
    if (!token) fail(190, 'Invalid OAuth access token - Cannot parse access token', { title: 'Invalid OAuth access token - Cannot parse access token' });
    if (token.expiresAt !== undefined && token.expiresAt <= ctx.state.clock.now()) {
      fail(190, 'The access token has expired', { subcode: 463, title: 'Error validating access token: Session has expired' });
    }
    req.graphToken = token;
  });
}

/** Every Graph request and its answer goes into the queryable request log. */
function installRequestLog(app: FastifyInstance, ctx: SandboxContext): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (!isGraphPath(req.url)) return payload;
    const state = ctx.state;
    // Keep the answer as text and parse it only when the log is read (control API); only errors
    // are parsed now, for their code. This hook runs on every Graph request.
    const text = typeof payload === 'string' ? payload : undefined;
    const errorCode = reply.statusCode >= 400 && text ? errorCodeOf(text) : undefined;
    state.requestLog.push({
      seq: state.nextSeq(),
      at: state.clock.now(),
      method: req.method,
      path: req.url.split('?')[0] ?? req.url,
      query: (req.query ?? {}) as Record<string, unknown>,
      body: req.isMultipart() ? '[multipart]' : req.body,
      status: reply.statusCode,
      response: text?.slice(0, 64_000),
      ...(errorCode !== undefined ? { errorCode } : {}),
    });
    // Trim in chunks, not one splice per request.
    const excess = state.requestLog.length - state.options.logLimit;
    if (excess > Math.max(100, state.options.logLimit / 10)) state.requestLog.splice(0, excess);
    return payload;
  });
}

function errorCodeOf(text: string): number | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The token's access to a WABA, or Meta's permission error. */
export function assertWabaAccess(req: FastifyRequest, wabaId: string): void {
  const token = req.graphToken;
  if (!token || !token.wabaIds.includes(wabaId)) {
    fail(200, `The access token has no permission on WhatsApp Business Account ${wabaId}`, { title: 'Permissions error' });
  }
}
