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
import { registerMetricsRoute } from './metrics.js';
import { installSecurityHeaders } from './security-headers.js';

export type ParleyApp = FastifyInstance;
export type Register = (scope: FastifyInstance, deps: AppDeps) => void | Promise<void>;

/** Routes without API-key auth (Meta's webhooks verify a signature instead; /metrics takes METRICS_TOKEN). */
const PUBLIC_ROUTES: Register[] = [registerHomeRoute, registerHealthRoutes, registerWebhookRoutes, (app, deps) => registerMetricsRoute(app, deps.metrics, deps.config.metricsToken)];
/** Routes under /api/v1, each request authenticated by an API key. */
const API_ROUTES: Register[] = [
  registerMessageRoutes, registerConversationRoutes, registerContactRoutes,
  registerInboxRoutes, registerApiKeyRoutes, registerMediaRoutes, registerTemplateRoutes,
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
  await app.register(swagger, {
    openapi: {
      info: { title: 'Parley API', version: '1', description: 'Team inbox and messaging API for the WhatsApp Cloud API.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'pk_… API key' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  for (const register of PUBLIC_ROUTES) await register(app, deps);
  await app.register(async (api) => {
    requireApiKey(api, deps);
    for (const register of API_ROUTES) await register(api, deps);
  }, { prefix: '/api/v1' });
  return app;
}
