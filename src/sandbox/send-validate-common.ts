// Small checkers the send validators share. Codes, chosen once for the whole send path:
//   100    — the request's shape: unexpected keys, wrong JSON types, bad enum for `type`, bad `to`.
//   131008 — a required parameter is missing (or empty).
//   131009 — a parameter is present but its value is not valid: too long, too many, duplicates, bad URL.
// Details name the parameter path the way Meta does (`interactive['action']['buttons'][0]`).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes

import { fail } from './graph-errors.js';
import type { Media, PhoneNumber, SandboxState } from './state.js';

export type Obj = Record<string, unknown>;

/** What validators may look at besides the body: media and message ids are checked against state. */
export interface ValidationScope {
  state: SandboxState;
  phone: PhoneNumber;
  now: number;
}

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}['${key}']`;
}

export function missing(path: string): never {
  return fail(131008, `Parameter ${path} is required`);
}

export function invalid(path: string, why: string): never {
  return fail(131009, `Param ${path} ${why}`);
}

export function wrongType(path: string, expected: string): never {
  return fail(100, `Param ${path} must be ${expected}`);
}

/** Unknown keys are refused like Meta does: "(#100) Invalid parameter … Unexpected key". */
export function onlyKeys(o: Obj, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) fail(100, `Unexpected key "${key}" on param "${path}"`);
  }
}

export function requireObject(o: Obj, key: string, path: string): Obj {
  const v = o[key];
  if (v === undefined || v === null) missing(child(path, key));
  if (!isObject(v)) wrongType(child(path, key), 'a JSON object');
  return v;
}

export function optionalObject(o: Obj, key: string, path: string): Obj | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) wrongType(child(path, key), 'a JSON object');
  return v;
}

export function requireArray(o: Obj, key: string, path: string, min: number, max: number): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) missing(child(path, key));
  if (!Array.isArray(v)) wrongType(child(path, key), 'an array');
  if (v.length < min) invalid(child(path, key), `must have at least ${min} element${min === 1 ? '' : 's'}`);
  if (v.length > max) invalid(child(path, key), `must have at most ${max} elements`);
  return v;
}

interface StringRule { max?: number; min?: number }

export function requireString(o: Obj, key: string, path: string, rule: StringRule = {}): string {
  const v = o[key];
  if (v === undefined || v === null || v === '') missing(child(path, key));
  return checkString(v, child(path, key), rule);
}

export function optionalString(o: Obj, key: string, path: string, rule: StringRule = {}): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  return checkString(v, child(path, key), rule);
}

function checkString(v: unknown, path: string, rule: StringRule): string {
  if (typeof v !== 'string') wrongType(path, 'a string');
  const len = [...v].length;
  if (rule.min !== undefined && len < rule.min) invalid(path, `must be at least ${rule.min} characters long`);
  if (rule.max !== undefined && len > rule.max) invalid(path, `must be at most ${rule.max} characters long`);
  return v;
}

export function optionalBoolean(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') wrongType(child(path, key), 'a boolean');
  return v;
}

export function requireEnum<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
  const v = requireString(o, key, path);
  if (!(values as readonly string[]).includes(v)) {
    fail(100, `Param ${child(path, key)} must be one of {${values.join(', ')}}`);
  }
  return v as T;
}

/** Graph accepts numbers or numeric strings for coordinates. */
export function requireCoordinate(o: Obj, key: string, path: string, limit: number): number {
  const v = o[key];
  if (v === undefined || v === null || v === '') missing(child(path, key));
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (typeof v !== 'number' && typeof v !== 'string') wrongType(child(path, key), 'a number');
  if (!Number.isFinite(n) || Math.abs(n) > limit) invalid(child(path, key), `must be a number between -${limit} and ${limit}`);
  return n;
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Accepted MIME types per media kind (Meta's supported media list). */
const MEDIA_MIME: Record<string, (mime: string) => boolean> = {
  image: (m) => m === 'image/jpeg' || m === 'image/png',
  video: (m) => m === 'video/mp4' || m === 'video/3gpp',
  audio: (m) => ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'].includes(m.split(';')[0]!.trim()),
  sticker: (m) => m === 'image/webp',
  document: () => true,
};

/**
 * Media sent by id must be an upload of this number that is neither deleted nor expired, with a MIME
 * type allowed for the kind: otherwise 131053 (Meta's "Media upload error").
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 */
export function requireUsableMedia(scope: ValidationScope, id: string, kind: string, path: string): Media {
  const media = scope.state.media.get(id);
  if (!media || media.phoneNumberId !== scope.phone.id) {
    fail(131053, `${path}: media id ${id} was not uploaded by this phone number`);
  }
  if (media.deleted) fail(131053, `${path}: media id ${id} was deleted`);
  if (media.expiresAt <= scope.now) fail(131053, `${path}: media id ${id} has expired`);
  const allowed = MEDIA_MIME[kind];
  if (allowed && !allowed(media.mimeType)) {
    fail(131053, `${path}: media type ${media.mimeType} is not supported for ${kind} messages`);
  }
  return media;
}

const MEDIA_KEYS: Record<string, readonly string[]> = {
  image: ['id', 'link', 'caption'],
  video: ['id', 'link', 'caption'],
  document: ['id', 'link', 'caption', 'filename'],
  audio: ['id', 'link', 'voice'],
  sticker: ['id', 'link'],
};

/** Media by id (an upload of this number) or by http(s) link; captions ≤1024, not on audio/sticker;
 *  filename only on documents. */
export function validateMedia(kind: string, media: Obj, scope: ValidationScope, path: string = kind): void {
  onlyKeys(media, MEDIA_KEYS[kind] ?? ['id', 'link'], path);
  const id = optionalString(media, 'id', path);
  const link = optionalString(media, 'link', path);
  if (id === undefined && link === undefined) missing(`${path}['id'] or ${path}['link']`);
  if (id !== undefined && link !== undefined) invalid(path, 'must have either id or link, not both');
  if (link !== undefined && !isHttpUrl(link)) invalid(child(path, 'link'), 'must be an http(s) URL');
  if (id !== undefined) requireUsableMedia(scope, id, kind, path);
  optionalString(media, 'caption', path, { max: 1024 });
  optionalString(media, 'filename', path, { max: 240 });
  optionalBoolean(media, 'voice', path);
}
