// Message templates: the workspace's templates as last synced from Meta (at start, and on template
// webhooks), filtered by inbox, status, name and language.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listTemplatePage, type TemplateFilter } from '../../store/queries/templates.js';
import type { AppDeps } from '../deps.js';
import { PageQuery, Template, described, errors, pageOf } from '../schemas.js';

const TemplateQuery = Type.Object({
  inboxId: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.String({ maxLength: 32, pattern: '^[A-Za-z_]+$', description: 'APPROVED, PENDING, REJECTED… (any case)' })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Exact template name' })),
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 16, description: 'Exact language code, e.g. en_US' })),
});

export function registerTemplateRoutes(api: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.database;

  api.get('/templates', {
    schema: {
      tags: ['templates'], summary: "List the workspace's message templates as synced from Meta, newest first",
      querystring: Type.Intersect([PageQuery, TemplateQuery]),
      response: { 200: described(pageOf(Template), 'A page of templates'), ...errors(400, 401) },
    },
  }, async (req) => listTemplatePage(db, req.workspaceId, req.query as TemplateFilter));
}
