// Starts the sandbox on a port from a SandboxConfig: used by `npm run sandbox` (main.ts) and by
// anything that wants the sandbox listening as its Cloud API.

import type { FastifyInstance } from 'fastify';
import { buildSandbox, type SandboxContext } from './app.js';
import { SandboxClock } from './clock.js';
import { DEFAULT_SEED, type SeedSpec } from './seed.js';
import type { SandboxConfig } from './config.js';

export interface RunningSandbox {
  app: FastifyInstance;
  ctx: SandboxContext;
  /** Base URL it listens on (the Graph base is `${url}/v21.0`). */
  url: string;
  close(): Promise<void>;
}

export async function startSandbox(config: SandboxConfig, logger = false): Promise<RunningSandbox> {
  const seed = withCallback(config.seed ?? DEFAULT_SEED, config.callbackUrl);
  const clock = new SandboxClock(Date.now(), config.clockScale);
  const { app, ctx } = await buildSandbox({
    options: config.options, seed, clock, logger,
    ...(config.stateFile ? { stateFile: config.stateFile, resetState: config.resetState ?? false } : {}),
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.port === 0 ? `http://127.0.0.1:${port}` : config.publicUrl;
  if (config.port === 0) ctx.state.options.publicBaseUrl = url;
  return { app, ctx, url, close: () => app.close() };
}

/** SANDBOX_CALLBACK_URL applies to every seeded app that has no callback of its own. */
function withCallback(seed: SeedSpec, callbackUrl: string | undefined): SeedSpec {
  if (!callbackUrl) return seed;
  return { ...seed, apps: (seed.apps ?? []).map((a) => ({ ...a, callbackUrl: a.callbackUrl ?? callbackUrl })) };
}
