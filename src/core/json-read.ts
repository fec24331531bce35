// Defensive readers for JSON of unknown shape (webhook bodies): never throw on a wrong type,
// return undefined instead, so parsers can name what is missing.

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(o: Json | undefined, key: string): Json | undefined {
  const v = o?.[key];
  return isObject(v) ? v : undefined;
}

/** A string field; numbers are accepted and stringified (ids sometimes arrive as numbers). */
export function str(o: Json | undefined, key: string): string | undefined {
  const v = o?.[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A number field; numeric strings are accepted ("1712345678"). */
export function num(o: Json | undefined, key: string): number | undefined {
  const v = o?.[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function bool(o: Json | undefined, key: string): boolean | undefined {
  const v = o?.[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function arr(o: Json | undefined, key: string): unknown[] {
  const v = o?.[key];
  return Array.isArray(v) ? v : [];
}

/** Seconds since the epoch (Meta's webhook timestamps) → epoch ms. */
export function secondsToMs(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 1000);
}

/** Thrown inside parsers only; the entry point turns it into a `malformed` event. */
export class MalformedPart extends Error {}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MalformedPart(`${what} is missing or has the wrong type`);
  return value;
}
