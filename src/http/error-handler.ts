// Maps every error to Parley's JSON error body `{error: {code, message, details?}}` with the status
// from the error catalog. Callers' mistakes get 4xx with a code; internals never leak in a 5xx.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, statusOf, type ErrorCode } from '../errors.js';
import { isDatabaseUnavailable } from '../store/db.js';
import { CloudApiError } from '../cloudapi/graph-codes.js';

/**
 * A Cloud API call made for the request (e.g. a media upload) failed: Meta refusing what was sent
 * (a 4xx with its code) is the caller's to fix — 400 with Meta's code and title; anything else
 * (5xx, network, throttling) is 502 upstream_error.
 */
function fromCloudApi(err: CloudApiError): AppError {
  const meta = { metaCode: err.code ?? null, metaTitle: err.title, metaDetails: err.details ?? null };
  if (err.kind === 'graph' && !err.retryable && (err.httpStatus ?? 500) < 500) {
    return new AppError('validation_failed', `WhatsApp refused it: ${err.message}`, meta);
  }
  return new AppError('upstream_error', undefined, meta);
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'validation_failed',
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof CloudApiError) return fromCloudApi(err);
  const fe = err as Partial<FastifyError> & { validation?: unknown };
  if (fe.validation) {
    return new AppError('validation_failed', `Invalid request: ${fe.message ?? 'see details'}`, fe.validation);
  }
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  // Only JSON routes refuse a content type (uploads take multipart, webhooks any bytes).
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  if (mapped) return new AppError(mapped, fe.message);
  // Connection lost, server shutting down, disk locked…: retry later (503), nothing was half-written.
  if (isDatabaseUnavailable(err)) return new AppError('database_unavailable');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('validation_failed', fe.message);
  }
  return new AppError('internal_error');
}

/** Router errors (before any route runs) that Fastify would answer in its own shape. */
const URL_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not valid: percent-encode path parameters as UTF-8.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long: ids are at most 64 characters.',
};

/** Answers any error in Parley's error body; also Fastify's `frameworkErrors` (bad URLs, over-long params). */
export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const urlError = URL_ERRORS[(err as { code?: string }).code ?? ''];
  const appError = urlError ? new AppError('validation_failed', urlError) : toAppError(err);
  const status = statusOf(appError.code);
  if (status >= 500) req.log.error({ err }, 'request failed');
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: status >= 500 ? ERRORS[appError.code].message : appError.message,
      ...(appError.details !== undefined && (status < 500 || appError.code === 'upstream_error') ? { details: appError.details } : {}),
    },
  };
  void reply.status(status).send(body);
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(sendError);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
  });
}
