// Serves the web app built into web/dist: hashed assets with a year's cache, index.html (never
// cached) at / and, as the SPA fallback, for any other browser page outside the server's own paths.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the server (API, docs, webhooks, probes, sandbox): never the app's page. */
export const SERVER_PREFIXES = ['/api', '/docs', '/webhooks', '/health', '/ready', '/metrics', '/_sandbox', '/assets', '/about'];

/** Whether GET `path` with this Accept header should get the app's index.html. */
export function isAppPage(path: string, accept: string | undefined): boolean {
  const p = path.split('?')[0] ?? '/';
  if (SERVER_PREFIXES.some((prefix) => p === prefix || p.startsWith(prefix + '/'))) return false;
  return (accept ?? '').includes('text/html');
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley</title></head>
<body><p>The web app is not built yet: run <code>npm run build:web</code> (npm start does it by itself).</p>
<p><a href="/about">About Parley</a> · <a href="/docs">API documentation</a></p></body></html>\n`;

async function sendIndex(reply: FastifyReply, distDir: string): Promise<FastifyReply> {
  // Read per request (≈ 1 KB): a rebuild swaps web/dist under a running server.
  const html = await readFile(`${distDir}/index.html`, 'utf8').catch(() => null);
  void reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
  return html === null ? reply.status(503).send(NOT_BUILT) : reply.send(html);
}

export async function registerWebApp(app: FastifyInstance, opts: { distDir?: string } = {}): Promise<void> {
  const distDir = opts.distDir ?? WEB_DIST_DIR;
  await app.register(fastifyStatic, {
    root: `${distDir}/assets`, prefix: '/assets/', wildcard: true, index: false, decorateReply: false,
    // Vite names every asset by its content hash: a changed file is a new URL.
    immutable: true, maxAge: '365d', suppressWarning: true, schemaHide: true,
  });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply, distDir));
  app.get('/*', { schema: { hide: true } }, async (req: FastifyRequest, reply) => {
    if (!isAppPage(req.url, req.headers.accept)) return reply.callNotFound();
    return sendIndex(reply, distDir);
  });
}
