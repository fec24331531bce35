// Liveness and readiness: /health answers while the process runs; /ready checks the database.

import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { AppError } from '../../errors.js';

export function registerHealthRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/ready', { schema: { hide: true } }, async () => {
    try {
      await sql`select 1`.execute(deps.database.db);
    } catch {
      throw new AppError('database_unavailable');
    }
    return { ok: true };
  });
}
