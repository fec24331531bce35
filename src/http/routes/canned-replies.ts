// Canned replies («быстрые ответы»): anyone signed in reads the ones they may see (GET ?q= searches
// shortcut and title); supervisors and up (or an API key) create, change and delete.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ALLOWED_VARIABLES } from '../../core/canned-replies.js';
import { requireRole } from '../auth.js';
import { addReply, changeReply, listReplies, readReply, removeReply } from '../../services/canned-replies.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const CannedReply = Type.Object({
  id: Type.String(),
  shortcut: Type.String({ description: 'Typed after "/" in the composer; lower-case letters, digits, - and _' }),
  title: Type.String(),
  body: Type.String({ description: `The text, with variables ${ALLOWED_VARIABLES.map((v) => `{{${v}}}`).join(', ')}` }),
  team: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: "Only this team's members (and supervisors and up) see it; null = everyone" })),
  variables: Type.Array(Type.String(), { description: 'The variables the body uses' }),
  prompts: Type.Array(Type.String(), { description: 'The questions the operator answers before inserting it ({{?Order number}})' }),
  createdAt: Type.Integer(), updatedAt: Type.Integer(),
}, { $id: 'CannedReply' });

const Shortcut = Type.String({ minLength: 1, maxLength: 41 });
const Title = Type.String({ minLength: 1, maxLength: 120 });
const Body = Type.String({ minLength: 1, maxLength: 4096 });
const TeamId = Nullable(Type.String({ minLength: 1, maxLength: 64 }));
const WRITE_ERRORS = ['canned_reply_template_invalid', 'canned_reply_shortcut_taken', 'team_not_found'] as const;

export function registerCannedReplyRoutes(api: FastifyInstance, deps: AppDeps): void {
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  api.get('/canned-replies', {
    schema: {
      tags: ['canned-replies'], summary: 'The canned replies you may use: workspace-wide ones and your teams\' (supervisors and up: all)',
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the shortcut or title; shortcuts that start with it come first' })) }),
      response: { 200: described(Type.Object({ items: Type.Array(CannedReply) }), 'Canned replies by shortcut'), ...errors(401) },
    },
  }, async (req) => ({ items: await listReplies(deps, req.workspaceId, req.user, (req.query as { q?: string }).q) }));

  api.get('/canned-replies/:id', {
    schema: {
      tags: ['canned-replies'], summary: 'One canned reply', params: IdParams,
      response: { 200: described(CannedReply, 'The canned reply'), ...errors(401, 'canned_reply_not_found') },
    },
  }, async (req) => readReply(deps, req.workspaceId, req.user, idOf(req)));

  api.post('/canned-replies', {
    schema: {
      tags: ['canned-replies'], summary: 'Create a canned reply (supervisor and up)',
      body: Type.Object({ shortcut: Shortcut, title: Title, body: Body, teamId: Type.Optional(TeamId) }, { additionalProperties: false }),
      response: { 201: described(CannedReply, 'The new canned reply'), ...errors(400, 401, 403, ...WRITE_ERRORS) },
    },
  }, async (req, reply) => {
    requireRole(req, 'supervisor');
    const created = await addReply(deps, req.workspaceId, req.body as { shortcut: string; title: string; body: string; teamId?: string | null });
    return reply.code(201).send(created);
  });

  api.patch('/canned-replies/:id', {
    schema: {
      tags: ['canned-replies'], summary: 'Change a canned reply (supervisor and up)', params: IdParams,
      body: Type.Object({ shortcut: Type.Optional(Shortcut), title: Type.Optional(Title), body: Type.Optional(Body), teamId: Type.Optional(TeamId) }, { additionalProperties: false }),
      response: { 200: described(CannedReply, 'The canned reply'), ...errors(400, 401, 403, 'canned_reply_not_found', ...WRITE_ERRORS) },
    },
  }, async (req) => {
    requireRole(req, 'supervisor');
    return changeReply(deps, req.workspaceId, req.user, idOf(req), req.body as { shortcut?: string; title?: string; body?: string; teamId?: string | null });
  });

  api.delete('/canned-replies/:id', {
    schema: {
      tags: ['canned-replies'], summary: 'Delete a canned reply (supervisor and up)', params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errors(401, 403, 'canned_reply_not_found') },
    },
  }, async (req, reply) => {
    requireRole(req, 'supervisor');
    await removeReply(deps, req.workspaceId, req.user, idOf(req));
    return reply.code(204).send();
  });
}
