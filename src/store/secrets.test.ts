import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SecretDecryptionError, decryptSecret, encryptSecret } from './secrets.js';

const key = randomBytes(32);

describe('secrets', () => {
  it.each(['EAAG-token', '', 'ünïcødé ✓', 'x'.repeat(5000)])('round-trips %j', (plaintext) => {
    const sealed = encryptSecret(key, plaintext);
    expect(sealed).not.toContain(plaintext || '\u0000');
    expect(decryptSecret(key, sealed)).toBe(plaintext);
  });

  it('uses a fresh IV each time', () => {
    expect(encryptSecret(key, 'same')).not.toBe(encryptSecret(key, 'same'));
  });

  const sealed = encryptSecret(key, 'access-token');
  const [v, iv, tag, data] = sealed.split('.') as [string, string, string, string];
  const flip = (part: string): string => {
    const bytes = Buffer.from(part, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    return bytes.toString('base64url');
  };
  it.each([
    ['ciphertext', [v, iv, tag, flip(data)].join('.')],
    ['tag', [v, iv, flip(tag), data].join('.')],
    ['truncated tag', [v, iv, tag.slice(0, 6), data].join('.')],
    ['iv', [v, flip(iv), tag, data].join('.')],
    ['version', ['v9', iv, tag, data].join('.')],
    ['format', 'plain-text-token'],
  ])('detects a tampered %s', (_, value) => {
    expect(() => decryptSecret(key, value)).toThrow(SecretDecryptionError);
  });

  it('refuses the wrong key', () => {
    expect(() => decryptSecret(randomBytes(32), sealed)).toThrow(SecretDecryptionError);
    expect(() => encryptSecret(randomBytes(16), 'x')).toThrow(/32 bytes/);
  });
});
