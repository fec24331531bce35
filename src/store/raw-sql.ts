// Statements built as SQL text instead of through the query builder, for hot paths whose batches
// would otherwise be rebuilt and recompiled row by row. Texts use `?` placeholders (never inside a
// literal) and are built once per key; PostgreSQL gets them numbered ($1…$n).

import { CompiledQuery, type QueryResult } from 'kysely';
import { dialectOf, type Db } from './db.js';

const texts = new Map<string, string>();
const MAX_TEXTS = 2000;

/** Runs the text `build()` returns (cached under `key` per dialect) with `params`, in order. */
export function runRawSql<R>(db: Db, key: string, build: () => string, params: readonly unknown[]): Promise<QueryResult<R>> {
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
  return db.executeQuery<R>(CompiledQuery.raw(text, [...params]));
}

/** `(?, ?, …)` repeated `rows` times, comma-separated: the values of a multi-row statement. */
export function placeholderRows(rows: number, tuple: string): string {
  return Array.from({ length: rows }, () => tuple).join(', ');
}
