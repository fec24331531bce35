import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpStep } from './totp.js';

const RFC_SECRET = Buffer.from('12345678901234567890');

describe('totp', () => {
  // RFC 6238 appendix B (SHA1), 8 digits.
  it.each([
    [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
    [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
  ])('T=%i → %s', (seconds, code) => {
    expect(hotp(RFC_SECRET, totpStep(seconds * 1000), 8)).toBe(code);
  });

  // RFC 4226 appendix D.
  it('matches HOTP test values', () => {
    expect([0, 1, 2, 9].map((c) => hotp(RFC_SECRET, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('round-trips base32 (RFC 4648 vectors) and refuses other text', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Decode('mzxw 6ytb oi======')?.toString()).toBe('foobar');
    expect(base32Decode('MZ1W')).toBeUndefined();
  });

  it('accepts a code one step either side, once, and nothing older', () => {
    const now = 1111111111_000;
    const step = totpStep(now);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step), now, null)).toBe(step);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), now, null)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step + 1), now, null)).toBe(step + 1);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step - 2), now, null)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step), now, step)).toBeUndefined(); // replay
    expect(matchTotp(RFC_SECRET, '12345', now, null)).toBeUndefined();
  });

  it('builds the otpauth URI apps scan', () => {
    expect(otpauthUri('MZXW6YTBOI', 'ann@example.com', 'Parley')).toBe('otpauth://totp/Parley%3Aann%40example.com?secret=MZXW6YTBOI&issuer=Parley&algorithm=SHA1&digits=6&period=30');
  });
});
