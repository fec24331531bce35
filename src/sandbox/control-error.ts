// Errors of the sandbox's own control API (not Meta's surface): a stable snake_case code, a
// message and an HTTP status, rendered as {error:{code, message}}.

import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ControlError extends Error {
  constructor(readonly code: string, message: string, readonly status: 400 | 404 = 400) {
    super(message);
  }
}

export function notFound(what: string, id: string): never {
  throw new ControlError(`unknown_${what.replace(/\s+/g, '_')}`, `No ${what} with id '${id}'`, 404);
}

export function invalid(code: string, message: string): never {
  throw new ControlError(code, message, 400);
}

/** Checks a control-API body against a TypeBox schema; a missing body counts as `{}`. */
export function parseBody<S extends TSchema>(schema: S, body: unknown): Static<S> {
  const value = body ?? {};
  const first = Value.Errors(schema, value).First();
  if (first) {
    const where = first.path === '' ? 'body' : `body${first.path.replace(/\//g, '.')}`;
    invalid('invalid_request', `${where}: ${first.message}`);
  }
  return value as Static<S>;
}
