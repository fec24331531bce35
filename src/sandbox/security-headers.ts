// Security headers on the sandbox's pages and control API (@fastify/helmet): the phone view runs
// only the sandbox's own script and stylesheet, is never framed, nosniff, no referrer.

import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/** Registers the headers for every route added after it, except the Graph API (a machine's JSON). */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  // helmet builds its headers anew on each request (~20 µs); Parley's sends and media downloads
  // need none of them, and the sandbox's throughput is benchmarked on exactly those requests.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/_sandbox')) route.helmet = false;
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}
