// Row ids: `<prefix>_` + 10 characters of millisecond time + 16 random characters (Crockford
// base32, ULID-like), so ids sort roughly by creation and never collide across processes.

import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix = 'ws' | 'key' | 'inb' | 'ct' | 'cv' | 'msg' | 'med' | 'evt' | 'obx' | 'tpl' | 'usr' | 'ses' | 'team' | 'asg' | 'cr' | 'note' | 'sch';

/** Random bytes drawn 4 KiB at a time: one randomBytes call per 256 ids, not one per id. */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

function random16(): Buffer {
  if (offset + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

/** The 10-character time part of the last `now` seen: ids made in one batch share it. */
let lastNow = Number.NaN;
let lastTime = '';

function timePart(now: number): string {
  if (now !== lastNow) {
    let time = '';
    let t = now;
    for (let i = 0; i < 10; i++) {
      time = ALPHABET.charAt(t % 32) + time;
      t = Math.floor(t / 32);
    }
    lastNow = now;
    lastTime = time;
  }
  return lastTime;
}

/** The random part of the last id, as 16 base-32 digits, and the `now` it was made for. */
let lastRandNow = Number.NaN;
const lastRand = new Array<number>(16).fill(0);

/**
 * Ids made for the same millisecond in this process follow one another (the random part of the one
 * before, plus one — ULID's monotonic mode): rows written in one millisecond (a batch of a customer's
 * quick messages) sort in the order they were made, not at random, wherever ties are broken by id.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  // A new millisecond (or, never in practice, 80 bits wrapped around): a fresh random part.
  if (now !== lastRandNow || !increment(lastRand)) {
    const bytes = random16();
    for (let i = 0; i < 16; i++) lastRand[i] = bytes[i]! & 31;
    lastRandNow = now;
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET.charAt(lastRand[i]!);
  return `${prefix}_${timePart(now)}${rand}`;
}

/** Adds one to a base-32 number (most significant digit first); false when it wrapped around. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) { digits[i] = digits[i]! + 1; return true; }
    digits[i] = 0;
  }
  return false;
}
