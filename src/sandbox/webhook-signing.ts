// Serialises a webhook payload the way Meta does and signs the exact bytes: JSON with every code
// point above U+007F escaped as lowercase \uXXXX, HMAC-SHA256 keyed with the app secret.
// Why: https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
// ("escaped unicode version of the payload, with lowercase hex digits").

import { createHmac } from 'node:crypto';

const NON_ASCII = /[\u0080-\uffff]/g;

/** `\uXXXX` for one UTF-16 code unit; a surrogate pair becomes two escapes, as in Meta's bodies. */
function escapeUnit(unit: string): string {
  return '\\u' + unit.charCodeAt(0).toString(16).padStart(4, '0');
}

/** JSON.stringify, then every UTF-16 unit above U+007F escaped (the body is pure ASCII). */
export function serialiseWebhook(payload: unknown): string {
  return JSON.stringify(payload).replace(NON_ASCII, escapeUnit);
}

/** The `X-Hub-Signature-256` header value for these exact bytes: `sha256=<lowercase hex>`. */
export function signWebhook(secret: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}
