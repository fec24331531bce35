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
  // Sign-in, sessions and accounts (issue 14, S1).
  invalid_credentials: { status: 401, message: 'The e-mail or password is wrong.' },
  totp_required: { status: 401, message: 'Enter the 6-digit code from your authenticator app.' },
  csrf_failed: { status: 403, message: 'The X-CSRF-Token header is missing or does not match your session.' },
  account_disabled: { status: 403, message: 'This account is disabled: ask an owner or admin of the workspace.' },
  user_not_found: { status: 404, message: 'No such user in this workspace.' },
  user_exists: { status: 409, message: 'A user with this e-mail already exists in this workspace.' },
  workspace_choice_required: { status: 409, message: 'This e-mail signs in to several workspaces: choose one and send its workspaceId.' },
  link_invalid: { status: 410, message: 'This link is unknown, expired or already used: ask an admin for a new one.' },
  password_rejected: { status: 400, message: 'The password does not meet the rules.' },
  owner_only: { status: 403, message: 'Only an owner can do that to the owner role or an owner\'s account.' },
  last_owner: { status: 409, message: "This is the workspace's last owner: make another user owner first." },
  cannot_disable_self: { status: 403, message: 'You cannot disable your own account: ask another admin.' },
  current_password_wrong: { status: 403, message: 'The current password does not match: type it again to change it.' },
  sign_in_locked: { status: 429, message: 'Too many wrong passwords: this account is locked for a while.' },
  // Live updates and resync (issue 14, L).
  origin_forbidden: { status: 403, message: 'Open the live connection from a page of this Parley: the Origin header must match the Host.' },
  upgrade_required: { status: 426, message: 'GET /api/v1/live is a WebSocket: connect with an Upgrade: websocket request.' },
  // Search (issue 14, lead).
  search_query_empty: { status: 400, message: 'The search has no letters or digits: type a word, a name or a number.' },
  // Teams, assignment, visibility and conversation status (issue 14, S2).
  team_not_found: { status: 404, message: 'No such team in this workspace.' },
  team_name_taken: { status: 409, message: 'A team with this name already exists in this workspace: choose another name.' },
  assignee_invalid: { status: 422, message: 'The assignee must be an active (not disabled) user of this workspace.' },
  assignment_forbidden: { status: 403, message: 'Agents may only take an unassigned chat or one of their teams\' chats for themselves; ask a supervisor to assign it.' },
  conversation_assigned_to_other: { status: 403, message: 'This conversation is assigned to another operator: only they (or a supervisor) can reply; ask them or a supervisor to reassign it.' },
  snooze_time_required: { status: 400, message: 'Snoozing needs snoozedUntil in the future (epoch milliseconds) or untilReply: true.' },
  // Canned replies (issue 14, C).
  canned_reply_not_found: { status: 404, message: 'No such canned reply in this workspace (or it belongs to a team you are not in).' },
  canned_reply_shortcut_taken: { status: 409, message: 'A canned reply with this shortcut already exists in this workspace: choose another shortcut.' },
  canned_reply_template_invalid: { status: 400, message: 'The canned reply text is not valid: see details for the variable or brace to fix.' },
  // Private notes and @mentions (issue 14, N).
  note_body_empty: { status: 400, message: 'A note needs some text: write something (spaces alone do not count).' },
  // SLA response-time targets (issue 14, SLA).
  sla_policy_invalid: { status: 400, message: 'The SLA policy is not valid: details.field names what to fix.' },
  sla_user_invalid: { status: 400, message: 'Someone to notify on an SLA breach is not an active user of this workspace: pick them from GET /api/v1/users.' },
  business_hours_invalid: { status: 400, message: 'The business hours are not valid: details.field names the day and interval to fix.' },
  // Send later (issue 14).
  scheduled_time_invalid: { status: 400, message: 'sendAt must be at least a minute from now and at most 30 days ahead (epoch milliseconds); to send now, POST /api/v1/messages.' },
  scheduled_after_window: { status: 409, message: "The customer service window closes before sendAt, and only a template may be sent outside it: pick an earlier time or schedule a template." },
  scheduled_limit_reached: { status: 409, message: 'This conversation already has 20 messages waiting to be sent later: send or cancel some first.' },
  scheduled_not_found: { status: 404, message: 'No such scheduled message in this workspace (or in a conversation you may not see).' },
  scheduled_not_pending: { status: 409, message: 'This scheduled message has already been sent or cancelled: there is nothing to cancel.' },
  // Work distribution: routing and auto-resolve (issue 14 §4).
  routing_invalid: { status: 400, message: 'The routing settings are not valid: details.field names what to fix.' },
  language_invalid: { status: 400, message: 'Languages are ISO 639-1 codes, two lowercase letters like ru or en (at most 10 per person): details.field and details.value say which to fix.' },
  // CSAT: the rating asked on resolve (issue 14 §6).
  csat_settings_invalid: { status: 400, message: 'The CSAT settings are not valid: details.field names what to fix.' },
  csat_template_invalid: { status: 400, message: 'This template cannot ask for a rating: pick an approved template without variables whose quick-reply buttons start with 1–5.' },
  csat_range_invalid: { status: 400, message: 'The period is empty: from must be before to (epoch milliseconds).' },
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
