// Meta's Graph error catalog as the sandbox answers it: code → title, HTTP status and type.
// Titles follow https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
// Clients key on `error.code`; Meta advises not to rely on titles or HTTP status.

import type { GraphErrorEnvelope, WebhookError } from '../cloudapi/wire.js';

interface CatalogEntry { title: string; http: number; type?: string }

export const GRAPH_ERRORS: Record<number, CatalogEntry> = {
  1: { title: 'API Unknown', http: 400 },
  2: { title: 'API Service', http: 503 },
  4: { title: 'Application request limit reached', http: 400 },
  10: { title: 'Permission denied', http: 403 },
  33: { title: 'Unsupported request', http: 400, type: 'GraphMethodException' },
  100: { title: 'Invalid parameter', http: 400 },
  190: { title: 'Invalid OAuth access token', http: 401 },
  200: { title: 'Permission error', http: 403 },
  368: { title: 'Temporarily blocked for policies violations', http: 403 },
  80007: { title: 'Rate limit issues', http: 400 },
  130403: { title: 'Business has blocked this user', http: 400 },
  130429: { title: 'Rate limit hit', http: 400 },
  130472: { title: "User's number is part of an experiment", http: 400 },
  131000: { title: 'Something went wrong', http: 500 },
  131005: { title: 'Access denied', http: 403 },
  131008: { title: 'Required parameter is missing', http: 400 },
  131009: { title: 'Parameter value is not valid', http: 400 },
  131021: { title: 'Recipient cannot be sender', http: 400 },
  131026: { title: 'Message undeliverable', http: 400 },
  131031: { title: 'Account has been locked', http: 403 },
  131042: { title: 'Business eligibility payment issue', http: 400 },
  131047: { title: 'Re-engagement message', http: 400 },
  131048: { title: 'Spam rate limit hit', http: 400 },
  131049: { title: 'This message was not delivered to maintain healthy ecosystem engagement.', http: 400 },
  131050: { title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.', http: 400 },
  131051: { title: 'Unsupported message type', http: 400 },
  131052: { title: 'Media download error', http: 400 },
  131053: { title: 'Media upload error', http: 400 },
  131056: { title: '(Business Account, Consumer Account) pair rate limit hit', http: 400 },
  131057: { title: 'Account in maintenance mode', http: 500 },
  131063: { title: 'Marketing messages disabled on Cloud API', http: 400 },
  131064: { title: 'Messaging limit reached due to template classification violations', http: 400 },
  132000: { title: 'Number of parameters does not match the expected number of params', http: 400 },
  132001: { title: 'Template does not exist', http: 404 },
  132005: { title: 'Template Hydrated Text Too Long', http: 400 },
  132007: { title: 'Template Format Character Policy Violated', http: 400 },
  132012: { title: 'Template Parameter Format Mismatch', http: 400 },
  132015: { title: 'Template is Paused', http: 400 },
  132016: { title: 'Template is Disabled', http: 400 },
  132069: { title: 'Flow is throttled', http: 400 },
  133005: { title: 'Two step verification PIN Mismatch', http: 400 },
  133006: { title: 'Phone number re-verification needed', http: 400 },
  133008: { title: 'Too many two step verification PIN guesses', http: 400 },
  133009: { title: 'Two step verification PIN Guessed Too Fast', http: 400 },
  133010: { title: 'Phone number Not Registered', http: 400 },
  133015: { title: 'Please wait a few minutes before attempting to register this phone number', http: 400 },
  133016: { title: 'Account register or deregister rate limit exceeded', http: 400 },
  2388019: { title: 'Message template limit exceeded', http: 400 },
  2388023: { title: 'Message template is being deleted', http: 400 },
  2388024: { title: 'Content in this language already exists', http: 400 },
  2388039: { title: 'Message template status cannot be changed', http: 400 },
  2388040: { title: 'Field exceeds character limit', http: 400 },
  2388293: { title: 'Parameters words ratio exceeds limit', http: 400 },
  2388299: { title: 'Variables cannot be at the start or end of the template', http: 400 },
};

/** Codes whose HTTP status follows the sandbox's `throttleHttpStatus` option (400 by default). */
export const THROTTLE_CODES = new Set([4, 80007, 130429, 131056]);

export interface GraphFailureInit {
  code: number;
  details: string;
  subcode?: number;
  http?: number;
  title?: string;
}

/** Thrown by sandbox handlers; the app's error handler turns it into Meta's envelope. */
export class GraphFailure extends Error {
  readonly code: number;
  readonly details: string;
  readonly subcode: number | undefined;
  readonly http: number | undefined;
  readonly title: string;

  constructor(init: GraphFailureInit) {
    const title = init.title ?? GRAPH_ERRORS[init.code]?.title ?? 'Error';
    super(`(#${init.code}) ${title}`);
    this.code = init.code;
    this.details = init.details;
    this.subcode = init.subcode;
    this.http = init.http;
    this.title = title;
  }
}

export function fail(code: number, details: string, extra: Omit<GraphFailureInit, 'code' | 'details'> = {}): never {
  throw new GraphFailure({ code, details, ...extra });
}

/** Meta's "(#100) … Object with ID … does not exist" answer for unknown ids. */
export function unknownObject(id: string): never {
  throw new GraphFailure({
    code: 100,
    subcode: 33,
    title: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
    details: `Object with ID '${id}' does not exist`,
  });
}

export function httpStatusOf(err: GraphFailure, throttleHttpStatus: number): number {
  if (err.http) return err.http;
  if (THROTTLE_CODES.has(err.code)) return throttleHttpStatus;
  return GRAPH_ERRORS[err.code]?.http ?? 400;
}

export function errorEnvelope(err: GraphFailure, fbtraceId: string): GraphErrorEnvelope {
  const entry = GRAPH_ERRORS[err.code];
  return {
    error: {
      message: `(#${err.code}) ${err.title}`,
      type: entry?.type ?? 'OAuthException',
      code: err.code,
      ...(err.subcode !== undefined ? { error_subcode: err.subcode } : {}),
      error_data: { messaging_product: 'whatsapp', details: err.details },
      fbtrace_id: fbtraceId,
    },
  };
}

/** The error object carried by failed-status webhooks. */
export function webhookError(code: number, details: string): WebhookError {
  const title = GRAPH_ERRORS[code]?.title ?? 'Error';
  return {
    code,
    title,
    message: title,
    error_data: { details },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
}
