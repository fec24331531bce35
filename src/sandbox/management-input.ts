// Input helpers shared by the sandbox's management routes (templates, media, numbers, objects):
// JSON body and query reading with Meta's (#100) answers, and Graph's `fields=` projection.

import type { FastifyRequest } from 'fastify';
import { GraphFailure, fail } from './graph-errors.js';
import type { SandboxState, Waba } from './state.js';

/** The request's JSON body as an object (an absent body reads as `{}`), or Meta's 100. */
export function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) fail(100, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Graph accepts parameters in the query string or the body; the body wins. */
export function paramsOf(req: FastifyRequest): Record<string, unknown> {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body as Record<string, unknown> : {};
  return { ...query, ...body };
}

export function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') fail(100, `Param ${key} must be a string`);
  return value;
}

export function requiredString(params: Record<string, unknown>, key: string): string {
  const value = optionalString(params, key);
  if (value === undefined || value === '') fail(100, `The parameter ${key} is required`);
  return value;
}

/** `messaging_product` must be "whatsapp" where Meta asks for it. */
export function assertMessagingProduct(params: Record<string, unknown>): void {
  const product = params.messaging_product;
  if (product === undefined) fail(100, 'The parameter messaging_product is required');
  if (product !== 'whatsapp') fail(100, 'Param messaging_product must be one of {WHATSAPP} - got "' + String(product) + '"');
}

/** `fields=a,b{c},d` → top-level field names (sub-selections are ignored). */
export function parseFields(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(100, 'Param fields must be a comma-separated string');
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) { names.push(current.trim()); current = ''; }
    else if (depth === 0) current += ch;
  }
  names.push(current.trim());
  return names.filter((n) => n.length > 0);
}

/**
 * Projects an object onto the requested fields, like Graph does: `id` is always included, and
 * asking for a field the node type doesn't have is Meta's (#100) "nonexisting field" error.
 */
export function pickFields(
  full: Record<string, unknown>,
  fields: string[] | undefined,
  defaults: string[],
  nodeType: string,
  known: readonly string[],
): Record<string, unknown> {
  const wanted = fields ?? defaults;
  const out: Record<string, unknown> = {};
  for (const name of wanted) {
    if (!known.includes(name)) {
      throw new GraphFailure({
        code: 100,
        title: `Tried accessing nonexisting field (${name}) on node type (${nodeType})`,
        details: `Tried accessing nonexisting field (${name}) on node type (${nodeType})`,
      });
    }
    if (full[name] !== undefined) out[name] = full[name];
  }
  if (full.id !== undefined) out.id = full.id;
  return out;
}

/** A positive integer query parameter with a default and a ceiling. */
export function limitParam(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(100, 'Param limit must be a positive integer');
  return Math.min(n, max);
}

const HOUR_MS = 3600_000;

/**
 * Counts one Business Management API call on the WABA: 200 per hour, or 5,000 when the WABA has a
 * registered number (an "active" WABA); past it Meta answers 80007.
 * Why: https://developers.facebook.com/docs/graph-api/overview/rate-limiting#whatsapp-business-management-api
 */
export function countManagementCall(state: SandboxState, waba: Waba): void {
  const now = state.clock.now();
  if ((waba.managementCalls[0] ?? now) <= now - HOUR_MS) waba.managementCalls = waba.managementCalls.filter((at) => at > now - HOUR_MS);
  const active = [...state.phoneNumbers.values()].some((p) => p.wabaId === waba.id && p.registered && !p.deleted);
  const limit = active ? 5000 : 200;
  if (waba.managementCalls.length >= limit) {
    fail(80007, `WhatsApp Business Account rate limit hit: at most ${limit} management calls per hour`);
  }
  waba.managementCalls.push(now);
}
