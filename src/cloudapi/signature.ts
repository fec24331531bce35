// Webhook signatures: Meta signs each POST with HMAC-SHA256 of the exact body bytes, keyed with the
// app secret, in `X-Hub-Signature-256: sha256=<hex>`. Verify before parsing; sign for tests and benches.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const DIGEST_HEX_LENGTH = 64;
const HEX = /^[0-9a-fA-F]+$/;

export type SignatureCheck =
  /** digest: the verified HMAC-SHA256 as lowercase hex, one per (bytes, app secret). */
  | { ok: true; digest: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

/** `sha256=<lowercase hex>` over the given bytes; a string is encoded as UTF-8 first. */
export function signPayload(body: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(body).digest('hex');
}

/**
 * Checks a signature header against the RAW body bytes. Why raw: Meta signs the bytes it sent, which
 * escape non-ASCII as \uXXXX; re-serialising parsed JSON would produce different bytes.
 */
export function checkSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): SignatureCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (Array.isArray(header)) return { ok: false, reason: 'malformed' };
  if (!header.startsWith(PREFIX)) return { ok: false, reason: 'malformed' };
  const hex = header.slice(PREFIX.length);
  if (hex.length !== DIGEST_HEX_LENGTH || !HEX.test(hex)) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(hex, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true, digest: expected.toString('hex') } : { ok: false, reason: 'mismatch' };
}

/** A stable, non-reversible name for an app secret (SHA-256 hex), to record which app signed what. */
export function secretFingerprint(appSecret: string): string {
  return createHash('sha256').update(appSecret).digest('hex');
}

/** True when the header is a well-formed signature of exactly these bytes. */
export function verifySignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  return checkSignature(rawBody, header, appSecret).ok;
}
