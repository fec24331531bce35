// The error catalog: every error Parley reports has a stable snake_case code, a default message and
// an HTTP status. Services throw `AppError(code)`; only http/ turns a code into a status.

export const ERRORS = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  json_too_deep: { status: 400, message: 'The JSON body is nested too deeply.' },
  json_too_large: { status: 400, message: 'A free-form JSON value is too large.' },
  multipart_invalid: { status: 400, message: 'The multipart/form-data body is malformed or truncated.' },
  media_not_usable: { status: 400, message: 'This media cannot be sent from this inbox.' },
  unauthorized: { status: 401, message: 'A valid API key is required.' },
  forbidden: { status: 403, message: 'This API key may not do that.' },
  not_found: { status: 404, message: 'Not found.' },
  inbox_not_found: { status: 404, message: 'No such inbox in this workspace.' },
  contact_not_found: { status: 404, message: 'No such contact in this workspace.' },
  conversation_not_found: { status: 404, message: 'No such conversation in this workspace.' },
  message_not_found: { status: 404, message: 'No such message in this workspace.' },
  media_not_found: { status: 404, message: 'No such media in this workspace.' },
  conflict: { status: 409, message: 'The request conflicts with the current state.' },
  contact_exists: { status: 409, message: 'A contact with this phone number already exists; details.contactId is its id.' },
  last_api_key: { status: 409, message: "This is the workspace's last active API key; create another key before revoking it." },
  access_token_invalid: { status: 422, message: 'Meta refused the access token: it is invalid or has expired.' },
  phone_number_inaccessible: { status: 422, message: 'This access token cannot read that phone number: check the phone number id and that the token has whatsapp_business_management permission on its WhatsApp Business Account.' },
  waba_inaccessible: { status: 422, message: 'This access token cannot read that WhatsApp Business Account: check the WABA id and the token\'s permissions.' },
  phone_number_not_in_waba: { status: 422, message: 'That phone number does not belong to that WhatsApp Business Account.' },
  phone_number_unavailable: { status: 409, message: 'This phone number cannot be connected to this workspace.' },
  payload_too_large: { status: 413, message: 'The payload is too large.' },
  unsupported_media_type: { status: 415, message: 'This media type is not supported.' },
  policy_denied: { status: 422, message: 'The message was not sent: a sending rule denied it.' },
  rate_limited: { status: 429, message: 'Too many requests; retry later.' },
  database_unavailable: { status: 503, message: 'The database is unavailable; retry later.' },
  upstream_error: { status: 502, message: 'The WhatsApp Cloud API returned an error.' },
  cloud_api_unavailable: { status: 503, message: 'The WhatsApp Cloud API could not be reached; retry later.' },
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
