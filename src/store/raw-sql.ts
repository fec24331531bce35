// Statements built as SQL text instead of through the query builder, for hot paths whose batches
// would otherwise be rebuilt and recompiled row by row. Texts use `?` placeholders (never inside a
// literal) and are built once per key; PostgreSQL gets them numbered ($1…$n).

import { CompiledQuery, type QueryResult } from 'kysely';
import { dialectOf, type Db } from './db.js';

const texts = new Map<string, string>();
const MAX_TEXTS = 2000;

/** Runs the text `build()` returns (cached under `key` per dialect) with `params`, in order. */
export function runRawSql<R>(db: Db, key: string, build: () => string, params: unknown[]): Promise<QueryResult<R>> {
  const dialect = dialectOf(db);
  const cacheKey = `${dialect}:${key}`;
  let text = texts.get(cacheKey);
  if (text === undefined) {
    text = build();
    if (dialect === 'postgres') {
      let n = 0;
      text = text.replace(/\?/g, () => `$${++n}`);
    }
    if (texts.size >= MAX_TEXTS) texts.clear();
    texts.set(cacheKey, text);
  }
  return db.executeQuery<R>(CompiledQuery.raw(text, params));
}

/** `(?, ?, …)` repeated `rows` times, comma-separated: the values of a multi-row statement. */
export function placeholderRows(rows: number, tuple: string): string {
  return Array.from({ length: rows }, () => tuple).join(', ');
}

/**
 * Splits a batch into chunks whose sizes are powers of two (300 → 256, 32, 8, 4), so a statement
 * built per batch size has at most a dozen texts instead of one per size seen.
 */
export function powerOfTwoChunks<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  while (start < items.length) {
    const size = 2 ** Math.floor(Math.log2(items.length - start));
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks;
}
