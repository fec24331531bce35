// Row ids: `<prefix>_` + 10 characters of millisecond time + 16 random characters (Crockford
// base32, ULID-like), so ids sort roughly by creation and never collide across processes.

import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix = 'ws' | 'key' | 'inb' | 'ct' | 'cv' | 'msg' | 'med' | 'evt' | 'obx' | 'tpl';

export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (const byte of bytes) rand += ALPHABET.charAt(byte & 31);
  return `${prefix}_${time}${rand}`;
}
