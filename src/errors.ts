// The error catalog: every error Parley reports has a stable snake_case code, a default message and
// an HTTP status. Services throw `AppError(code)`; only http/ turns a code into a status.

export const ERRORS = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  unauthorized: { status: 401, message: 'A valid API key is required.' },
  forbidden: { status: 403, message: 'This API key may not do that.' },
  not_found: { status: 404, message: 'Not found.' },
  inbox_not_found: { status: 404, message: 'No such inbox in this workspace.' },
  contact_not_found: { status: 404, message: 'No such contact in this workspace.' },
  conversation_not_found: { status: 404, message: 'No such conversation in this workspace.' },
  message_not_found: { status: 404, message: 'No such message in this workspace.' },
  media_not_found: { status: 404, message: 'No such media in this workspace.' },
  conflict: { status: 409, message: 'The request conflicts with the current state.' },
  payload_too_large: { status: 413, message: 'The payload is too large.' },
  unsupported_media_type: { status: 415, message: 'This media type is not supported.' },
  policy_denied: { status: 422, message: 'The message was not sent: a sending rule denied it.' },
  rate_limited: { status: 429, message: 'Too many requests; retry later.' },
  database_unavailable: { status: 503, message: 'The database is unavailable; retry later.' },
  upstream_error: { status: 502, message: 'The WhatsApp Cloud API returned an error.' },
  internal_error: { status: 500, message: 'Internal error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An expected failure with a catalog code; `details` is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}

/** The HTTP status of a catalog code (for http/ only). */
export function statusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}
