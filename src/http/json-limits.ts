// Bounds on request input that schemas cannot express, for every route: JSON nesting depth, checked
// in the JSON parser (a body thousands of levels deep overflows the stack wherever it is later walked
// recursively: serialised, stored), NUL characters (PostgreSQL text refuses them: a 500 otherwise) in
// JSON strings, path params and queries, and the size of free-form values such as contact attributes.

import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors.js';

/** Deepest nesting of objects/arrays accepted in a JSON body (the body itself is level 1). */
export const MAX_JSON_DEPTH = 32;
/** Largest free-form value (e.g. contact attributes), as UTF-8 JSON. */
export const MAX_FREEFORM_BYTES = 64 * 1024;

type Path = Array<string | number>;

interface Problem { kind: 'depth' | 'nul'; path: Path }

/**
 * The first object/array deeper than `max` levels, or string (or key) holding a NUL character
 * (PostgreSQL text cannot store one), with its path; recursion stops at `max`.
 */
export function findJsonProblem(value: unknown, max: number, level = 1): Problem | undefined {
  if (typeof value === 'string') return value.includes('\0') ? { kind: 'nul', path: [] } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (level > max) return { kind: 'depth', path: [] };
  const children: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of children) {
    if (typeof key === 'string' && key.includes('\0')) return { kind: 'nul', path: [key.replaceAll('\0', '\\u0000')] };
    const below = findJsonProblem(child, max, level + 1);
    if (below) return { kind: below.kind, path: [key, ...below.path] };
  }
  return undefined;
}

export function formatPath(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(the body)';
}

/** Throws json_too_deep when `value` nests deeper than MAX_JSON_DEPTH, validation_failed for a NUL character. */
export function assertJsonLimits(value: unknown): void {
  const problem = findJsonProblem(value, MAX_JSON_DEPTH);
  if (problem?.kind === 'depth') {
    throw new AppError('json_too_deep', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep at ${formatPath(problem.path)}; flatten it to ${MAX_JSON_DEPTH} levels or fewer.`, { maxDepth: MAX_JSON_DEPTH });
  }
  if (problem) throw new AppError('validation_failed', `${formatPath(problem.path)} contains a NUL character (\\u0000); remove it.`);
}

/** Path params and query values with a NUL character are refused like JSON strings with one. */
async function refuseNulInUrl(req: FastifyRequest): Promise<void> {
  for (const [part, values] of [['path parameter', req.params], ['query parameter', req.query]] as const) {
    for (const [name, v] of Object.entries((values ?? {}) as Record<string, unknown>)) {
      if ([v].flat().some((x) => typeof x === 'string' && x.includes('\0'))) {
        throw new AppError('validation_failed', `The ${part} ${name} contains a NUL character (%00); remove it.`);
      }
    }
  }
}

/** Throws json_too_large when the free-form value at `where` is over `max` bytes as JSON. */
export function assertFreeformSize(value: unknown, where: string, max = MAX_FREEFORM_BYTES): void {
  if (value === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > max) {
    throw new AppError('json_too_large', `${where} is ${bytes} bytes as JSON; at most ${max} bytes are allowed.`, { where, bytes, maxBytes: max });
  }
}

/**
 * Replaces the app's JSON parser with Fastify's own (same prototype-poisoning refusal, same errors
 * for empty or invalid JSON) followed by the depth check. Scopes with their own parsers (the
 * webhook intake keeps raw bytes for its signature) are not affected.
 */
export function installJsonLimits(app: FastifyInstance): void {
  // Every route but Meta's webhook intake, whose hot path takes no params and stores raw bytes.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url.startsWith('/webhooks/')) return;
    route.preValidation = [refuseNulInUrl, ...[route.preValidation ?? []].flat()];
  });
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      try {
        assertJsonLimits(value);
      } catch (tooDeep) {
        return done(tooDeep as Error, undefined);
      }
      done(null, value);
    });
  });
}
