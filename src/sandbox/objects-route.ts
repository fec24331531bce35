// The generic Graph node routes GET|POST|DELETE /{version}/{id}: what the id is (phone number,
// media, template, WABA) decides the handler; unknown ids get Meta's "(#100) … does not exist".
// Fastify matches longer and static paths first, so /{id}/messages and friends are not shadowed.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertWabaAccess, isGraphPath, type SandboxContext } from './app.js';
import { GraphFailure, unknownObject } from './graph-errors.js';
import { countManagementCall } from './management-input.js';
import { deleteMedia, getMediaInfo } from './media-route.js';
import { getPhoneNumber, getWaba, updatePhoneNumber } from './numbers-route.js';
import { editTemplate, getTemplate } from './templates-route.js';

type Method = 'get' | 'post' | 'delete';

export function registerObjectRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { id: string } }>('/:version/:id', async (req) => dispatch(ctx, req, 'get', req.params.id));
  app.post<{ Params: { id: string } }>('/:version/:id', async (req) => dispatch(ctx, req, 'post', req.params.id));
  app.delete<{ Params: { id: string } }>('/:version/:id', async (req) => dispatch(ctx, req, 'delete', req.params.id));
}

function dispatch(ctx: SandboxContext, req: FastifyRequest, method: Method, id: string): unknown {
  // Two-segment paths that are not Graph paths (no /vNN.N prefix) answer like any unknown path.
  if (!isGraphPath(req.url)) throw unknownPath(method, req.url);
  const state = ctx.state;
  const phone = state.phoneNumbers.get(id);
  if (phone && !phone.deleted) {
    if (!visibleTo(req, phone.wabaId)) unknownObject(id);
    countCall(ctx, req, phone.wabaId);
    if (method === 'get') return getPhoneNumber(ctx, req, phone);
    if (method === 'post') return updatePhoneNumber(req, phone);
    throw unsupported(method, id);
  }
  const media = state.media.get(id);
  if (media) {
    if (method === 'get') return getMediaInfo(ctx, req, media);
    if (method === 'delete') return deleteMedia(ctx, req, media);
    throw unsupported(method, id);
  }
  const template = state.templates.get(id);
  if (template) {
    countCall(ctx, req, template.wabaId);
    if (method === 'get') return getTemplate(req, template);
    if (method === 'post') return editTemplate(ctx, req, template);
    throw unsupported(method, id);
  }
  const waba = state.wabas.get(id);
  if (waba) {
    if (!visibleTo(req, waba.id)) unknownObject(id);
    countCall(ctx, req, waba.id);
    if (method === 'get') return getWaba(ctx, req, waba);
    throw unsupported(method, id);
  }
  unknownObject(id);
}

/**
 * Whether the token may see a node of this WABA. Meta answers a phone number or WABA the token has
 * no permission on exactly as an id that does not exist: (#100) "… does not exist, cannot be loaded
 * due to missing permissions …", subcode 33 — so a stranger's token cannot learn that the id exists.
 */
function visibleTo(req: FastifyRequest, wabaId: string): boolean {
  return req.graphToken?.wabaIds.includes(wabaId) ?? false;
}

/** Business Management calls on a WABA's nodes count against its hourly budget (80007). */
function countCall(ctx: SandboxContext, req: FastifyRequest, wabaId: string): void {
  assertWabaAccess(req, wabaId);
  const waba = ctx.state.wabas.get(wabaId);
  if (waba) countManagementCall(ctx.state, waba);
}

function unsupported(method: Method, id: string): GraphFailure {
  return new GraphFailure({
    code: 100,
    subcode: 33,
    title: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
    details: `Object with ID '${id}' does not support ${method.toUpperCase()}`,
  });
}

function unknownPath(method: Method, url: string): GraphFailure {
  return new GraphFailure({
    code: 100,
    subcode: 33,
    title: `Unsupported ${method} request`,
    details: `Unknown path components: ${url.split('?')[0]}`,
  });
}
