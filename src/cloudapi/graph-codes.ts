// Classifies Graph/Cloud API failures as retryable (back off and try again) or permanent.
// Meta advises keying on `error.code`, not on titles or HTTP status; 5xx and network failures retry.
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes

/** Codes Meta documents as transient: throttling, temporary downtime, maintenance. */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  1, // API Unknown: possibly a server error
  2, // API Service: temporary downtime or overload
  4, // API Too Many Calls: app-level rate limit
  80007, // WABA rate limit reached
  130429, // Cloud API throughput reached
  131000, // something went wrong
  131016, // service unavailable
  131056, // (business, consumer) pair rate limit
  131057, // account in maintenance mode (e.g. throughput upgrade)
  133004, // server temporarily unavailable
]);

/** Throttling codes: the sender should slow down, not just wait. */
export const THROTTLING_CODES: ReadonlySet<number> = new Set([4, 80007, 130429, 131056]);

export interface FailureFacts {
  /** HTTP status, or undefined when no response arrived. */
  httpStatus: number | undefined;
  /** Graph `error.code`, when the body carried Meta's envelope. */
  code: number | undefined;
  network: boolean;
}

/** Retryable: a transient Graph code, any 5xx, or a network failure/timeout. Everything else is permanent. */
export function isRetryable(facts: FailureFacts): boolean {
  if (facts.network) return true;
  if (facts.code !== undefined && RETRYABLE_CODES.has(facts.code)) return true;
  return facts.httpStatus !== undefined && facts.httpStatus >= 500 && facts.httpStatus <= 599;
}

export function isThrottling(code: number | undefined): boolean {
  return code !== undefined && THROTTLING_CODES.has(code);
}

export type CloudApiFailureKind =
  /** Meta's error envelope in the response body. */
  | 'graph'
  /** A non-2xx answer without a parsable envelope (a proxy page, an empty body). */
  | 'http'
  /** No response: connection refused/reset, DNS, timeouts. */
  | 'network'
  /** A 2xx answer whose body isn't what the endpoint returns. */
  | 'protocol'
  /** A download larger than the configured cap. */
  | 'too_large';

export interface CloudApiErrorFields {
  kind: CloudApiFailureKind;
  httpStatus: number | undefined;
  code?: number | undefined;
  subcode?: number | undefined;
  title: string;
  details?: string | undefined;
  fbtraceId?: string | undefined;
  type?: string | undefined;
  retryAfterMs?: number | undefined;
  /** Network failures only: the request may have reached Meta (e.g. a timeout waiting for headers). */
  ambiguous?: boolean;
}

/** Every failure of a Cloud API call, classified once. */
export class CloudApiError extends Error {
  readonly kind: CloudApiFailureKind;
  readonly httpStatus: number | undefined;
  readonly code: number | undefined;
  readonly subcode: number | undefined;
  readonly title: string;
  readonly details: string | undefined;
  readonly fbtraceId: string | undefined;
  readonly type: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  readonly throttling: boolean;

  constructor(f: CloudApiErrorFields, options?: { cause?: unknown }) {
    const codePart = f.code === undefined ? '' : `(#${f.code}) `;
    super(`${codePart}${f.title}${f.details ? `: ${f.details}` : ''}`, options);
    this.name = 'CloudApiError';
    this.kind = f.kind;
    this.httpStatus = f.httpStatus;
    this.code = f.code;
    this.subcode = f.subcode;
    this.title = f.title;
    this.details = f.details;
    this.fbtraceId = f.fbtraceId;
    this.type = f.type;
    this.retryAfterMs = f.retryAfterMs;
    this.ambiguous = f.ambiguous ?? false;
    this.retryable = f.kind !== 'too_large' && isRetryable({ httpStatus: f.httpStatus, code: f.code, network: this.network });
    this.throttling = isThrottling(f.code);
  }

  get network(): boolean {
    return this.kind === 'network';
  }
}

const CODE_PREFIX = /^\(#\d+\)\s*/;

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Builds the error for a non-2xx answer from its status and raw body text. */
export function parseGraphError(httpStatus: number, bodyText: string, retryAfterMs?: number): CloudApiError {
  let envelope: unknown;
  try {
    envelope = JSON.parse(bodyText);
  } catch {
    envelope = undefined;
  }
  const err = (envelope as { error?: unknown } | undefined)?.error;
  if (typeof err !== 'object' || err === null) {
    const snippet = bodyText.trim().slice(0, 200);
    return new CloudApiError({ kind: 'http', httpStatus, title: `HTTP ${httpStatus}`, details: snippet || undefined, retryAfterMs });
  }
  const e = err as Record<string, unknown>;
  const message = asString(e.message) ?? `HTTP ${httpStatus}`;
  const errorData = e.error_data as Record<string, unknown> | undefined;
  return new CloudApiError({
    kind: 'graph',
    httpStatus,
    code: asNumber(e.code),
    subcode: asNumber(e.error_subcode),
    title: message.replace(CODE_PREFIX, ''),
    details: asString(errorData?.details) ?? asString(e.error_user_msg),
    fbtraceId: asString(e.fbtrace_id),
    type: asString(e.type),
    retryAfterMs,
  });
}
