// Encryption at rest for access tokens and app secrets: AES-256-GCM with the configured 32-byte key.
// Stored form: `v1.<iv>.<tag>.<ciphertext>` (base64url), so a tampered value fails to decrypt.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a stored secret: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error(`encryption key must be 32 bytes, got ${key.length}`);
}

export function encryptSecret(key: Buffer, plaintext: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
}

/** Throws SecretDecryptionError if the value was altered or the key is wrong. */
export function decryptSecret(key: Buffer, stored: string): string {
  checkKey(key);
  const parts = stored.split('.');
  const [version, iv, tag, data] = parts;
  if (parts.length !== 4 || version !== VERSION || iv === undefined || tag === undefined || data === undefined) {
    throw new SecretDecryptionError('unknown format');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError('authentication failed (altered value or wrong key)');
  }
}
