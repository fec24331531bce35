// Parses DATABASE_URL into what the store needs: a SQLite file or a PostgreSQL connection (+ schema).
// Pure, so config validation and openDatabase agree on what a URL means.

export type DatabaseTarget =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; connectionString: string; schema: string | undefined };

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * `sqlite:./data/parley.db`, `sqlite:/abs/file.db`, `sqlite::memory:` (also with `sqlite://`), or
 * `postgres://user@host:5432/db?schema=name` (`postgresql://` too). Throws an Error whose message
 * says what is wrong (without echoing passwords).
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '') throw new Error('expected a file after "sqlite:", e.g. sqlite:./data/parley.db');
    return { dialect: 'sqlite', file };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error('expected a valid postgres:// URL');
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`expected ?schema= to be a plain identifier (letters, digits, _), got "${schema}"`);
    }
    parsed.searchParams.delete('schema');
    return { dialect: 'postgres', connectionString: parsed.toString(), schema };
  }
  throw new Error(`expected sqlite:<file> or postgres://…, got "${redactUrl(url)}"`);
}

/** The URL with any password replaced by `***`, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
