// Opaque keyset cursors: base64url JSON of the last row's sort key (a timestamp and an id).

import { AppError } from '../errors.js';

export interface Keyset {
  at: number;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; null when this page is the last. */
  nextCursor: string | null;
}

export function encodeCursor(key: Keyset): string {
  return Buffer.from(JSON.stringify([key.at, key.id])).toString('base64url');
}

/** Throws AppError('validation_failed') for a cursor this store did not produce. */
export function decodeCursor(cursor: string): Keyset {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { at: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'The cursor is not valid.', { field: 'cursor' });
}

/** Clamps a requested page size to 1..max (default 50). */
export function pageSize(limit: number | undefined, max = 200): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}

/** Splits a limit+1 fetch into a page and its next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
