// GET /api/v1/live: the inbox's one WebSocket per tab, authenticated by the session cookie only (never
// a token in the URL) with the page's Origin checked against the Host before upgrading (a foreign
// page cannot ride the cookie); and GET /api/v1/presence, who is online or away.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { liveHubOf } from '../../services/live-hub.js';
import { sessionUserFromCookieHeader, type SessionUser } from '../../services/sessions.js';
import type { AppDeps } from '../deps.js';
import { described, errors } from '../schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    liveUser?: SessionUser;
  }
}

/** host[:port] as URL normalises it (lower case, default port dropped), or undefined. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The Origin's host equals the Host header (or the configured public URL's host, behind a proxy). */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl?: string): boolean {
  if (!origin || !host) return false;
  const from = hostOf(origin);
  if (from === undefined) return false;
  return from === hostOf(`http://${host}`) || (publicUrl !== undefined && from === hostOf(publicUrl));
}

export function registerLiveSocketRoute(app: FastifyInstance, deps: AppDeps): void {
  const hub = liveHubOf(deps);
  // Started with the app, so this process learns the others' presence before anyone asks.
  app.addHook('onReady', async () => {
    // Never fails the boot: without the bus now, the first socket or presence request tries again.
    hub.start().catch((err: unknown) => deps.logger.warn({ err }, 'live updates not started'));
  });
  app.addHook('onClose', async () => hub.close());
  app.route({
    method: 'GET',
    url: '/api/v1/live',
    schema: { hide: true },
    // Runs before the upgrade: a refused request gets a plain HTTP answer and never a socket.
    onRequest: async (req: FastifyRequest) => {
      if (!originAllowed(req.headers.origin, req.headers.host, deps.config.publicUrl)) throw new AppError('origin_forbidden');
      const session = await sessionUserFromCookieHeader(deps, req.headers.cookie);
      if (!session) throw new AppError('unauthorized', 'Sign in first: the live connection uses the session cookie.');
      req.liveUser = session.user;
    },
    handler: async () => {
      throw new AppError('upgrade_required');
    },
    wsHandler: async (socket, req) => {
      await hub.attach(socket, req.liveUser!, req.headers.cookie);
    },
  });
}

const PresenceItem = Type.Object({
  userId: Type.String(),
  status: Type.Union([Type.Literal('online'), Type.Literal('away')]),
  since: Type.Integer({ description: 'Epoch milliseconds: since when in this status' }),
});

/** In the /api/v1 scope (session or API key). */
export function registerPresenceRoutes(api: FastifyInstance, deps: AppDeps): void {
  const hub = liveHubOf(deps);
  api.get('/presence', {
    schema: {
      tags: ['live'], summary: 'Operators online or away now (from their open inbox tabs, across processes); absent = offline',
      response: { 200: described(Type.Array(PresenceItem), 'Who is online or away'), ...errors(401) },
    },
  }, async (req) => {
    await hub.start();
    return hub.presence.list(req.workspaceId);
  });
}
