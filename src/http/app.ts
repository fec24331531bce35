// buildApp(deps): Parley's HTTP surface without listening — webhook intake, the REST API under
// /api/v1 (API-key auth), OpenAPI at /docs. Routes come from one list, one file per feature.

import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from './deps.js';
import { installErrorHandler, sendError } from './error-handler.js';
import { installJsonLimits } from './json-limits.js';
import { requireApiKey } from './auth.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerHomeRoute } from './routes/home.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerMessageRoutes } from './routes/messages.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { registerContactRoutes } from './routes/contacts.js';
import { registerInboxRoutes } from './routes/inboxes.js';
import { registerApiKeyRoutes } from './routes/api-keys.js';
import { registerMediaRoutes } from './routes/media.js';
import { registerTemplateRoutes } from './routes/templates.js';
import { registerTeamRoutes } from './routes/teams.js';
import { registerCannedReplyRoutes } from './routes/canned-replies.js';
import { registerSlaRoutes } from './routes/sla.js';
import { registerRoutingRoutes } from './routes/routing.js';
import { registerNoteRoutes } from './routes/notes.js';
import { registerScheduledRoutes } from './routes/scheduled.js';
import { registerCsatRoutes } from './routes/csat.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerMetricsRoute } from './metrics.js';
import cookie from '@fastify/cookie';
import { registerAuthRoutes } from './routes/auth.js';
import { registerUserRoutes } from './routes/users.js';
import { installSecurityHeaders } from './security-headers.js';
import websocket from '@fastify/websocket';
import { registerLiveSocketRoute, registerPresenceRoutes } from './routes/live.js';
import { registerChangesRoutes } from './routes/changes.js';
import { registerWebApp } from './web-app.js';

export type ParleyApp = FastifyInstance;
export type Register = (scope: FastifyInstance, deps: AppDeps) => void | Promise<void>;

/** Routes without API-key auth (Meta's webhooks verify a signature instead; /metrics takes METRICS_TOKEN). */
const PUBLIC_ROUTES: Register[] = [registerHomeRoute, registerHealthRoutes, registerWebhookRoutes, (app, deps) => registerMetricsRoute(app, deps.metrics, deps.config.metricsToken), registerLiveSocketRoute];
/** Routes under /api/v1, each request authenticated by an API key. */
const API_ROUTES: Register[] = [
  registerMessageRoutes, registerConversationRoutes, registerContactRoutes,
  registerAuthRoutes, registerUserRoutes,
  registerInboxRoutes, registerApiKeyRoutes, registerMediaRoutes, registerTemplateRoutes, registerSearchRoutes,
  registerChangesRoutes, registerPresenceRoutes,
  registerTeamRoutes,
  registerCannedReplyRoutes,
  registerSlaRoutes,
  registerRoutingRoutes,
  registerNoteRoutes,
  registerScheduledRoutes,
  registerCsatRoutes,
];

/**
 * Query strings and path params are text, so they are coerced ("10" → 10); JSON bodies are not:
 * `"to": 79161234567` or `"blocked": "true"` is a mistake the caller should hear about.
 */
function installValidators(app: FastifyInstance): void {
  const make = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  const strict = make(false);
  const coercing = make('array');
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object));
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger, bodyLimit: 1024 * 1024, frameworkErrors: sendError }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  installErrorHandler(app);
  await installSecurityHeaders(app);
  installJsonLimits(app);
  // Operators' session cookie (routes/auth.ts sets it; auth.ts reads it in the API scope).
  await app.register(cookie);
  // The live socket (routes/live.ts): client messages are tiny (typing, viewing, presence).
  await app.register(websocket, { options: { maxPayload: 4096 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Parley API', version: '1', description: 'Team inbox and messaging API for the WhatsApp Cloud API.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'pk_… API key' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'parley_session', description: "An operator's session (POST /api/v1/auth/sign-in); writes also need the X-CSRF-Token header" },
        },
      },
      security: [{ apiKey: [] }, { cookieAuth: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  for (const register of PUBLIC_ROUTES) await register(app, deps);
  await app.register(async (api) => {
    requireApiKey(api, deps);
    for (const register of API_ROUTES) await register(api, deps);
  }, { prefix: '/api/v1' });
  // The web app last: its SPA fallback (GET /*) only takes what no route above matched.
  await registerWebApp(app);
  return app;
}
