// Queries of the hot paths, built and compiled by Kysely once per shape and then only bound: building
// and compiling a query costs more CPU than SQLite takes to run it (≈ half of a webhook event's
// processing went to Kysely's builder and compiler). A query is written with the builder as usual,
// but over stand-in parameters (`p.x`); the compiled text is kept per dialect and shape, and each
// call binds the real values in the order the compiler placed them.
//
// Rules for a prepared query: every value that changes between calls comes from `p` and is used
// only as a value (never in an `if`, never spread into the SQL as an identifier or a list); whatever
// changes the SQL itself (a column set or left out, an IN list of constants) is part of the shape,
// passed separately and named by `shapeKey`. A value of `p` that is undefined is bound as NULL.

import { CompiledQuery, type Compilable } from 'kysely';
import { dialectOf, type Db } from './db.js';

const MARK = '\u0000param:';

interface Compiled { sql: string; bind: Array<{ key: string } | { value: unknown }> }

export interface PreparedQuery<P extends object, S, R> {
  /** All rows the statement returns (RETURNING or SELECT). */
  all(db: Db, params: P, shape?: S, shapeKey?: string): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Db, params: P, shape?: S, shapeKey?: string): Promise<R | undefined>;
}

/** A query compiled once per dialect and shape; see the rules above. */
export function preparedQuery<P extends object, R, S = undefined>(
  name: string, build: (db: Db, p: P, shape: S) => Compilable<R>,
): PreparedQuery<P, S, R> {
  const cache = new Map<string, Compiled>();
  const compiled = (db: Db, params: P, shape: S | undefined, shapeKey: string): Compiled => {
    const key = `${dialectOf(db)}:${shapeKey}`;
    let c = cache.get(key);
    if (c) return c;
    const stand = Object.fromEntries(Object.keys(params).map((k) => [k, MARK + k])) as P;
    const q = build(db, stand, shape as S).compile();
    if (q.sql.includes(MARK)) throw new Error(`prepared query ${name}: a parameter was written into the SQL text`);
    c = {
      sql: q.sql,
      bind: q.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? { key: v.slice(MARK.length) } : { value: v })),
    };
    cache.set(key, c);
    return c;
  };
  const all = async (db: Db, params: P, shape?: S, shapeKey = ''): Promise<R[]> => {
    const c = compiled(db, params, shape, shapeKey);
    const values = params as Record<string, unknown>;
    const bound = c.bind.map((b) => ('key' in b ? (values[b.key] ?? null) : b.value));
    const result = await db.executeQuery<R>(CompiledQuery.raw(c.sql, bound));
    return result.rows;
  };
  return {
    all,
    first: async (db, params, shape, shapeKey) => (await all(db, params, shape, shapeKey))[0],
  };
}
