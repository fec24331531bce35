// Media: multipart upload to /{phone-number-id}/media with Meta's MIME types and size caps,
// /{media-id} info (a download URL valid a few minutes) and delete, and the download route that
// needs the bearer token. `storeMedia` lets simulated customers send media too.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media

import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MediaType } from '../cloudapi/wire.js';
import { assertWabaAccess, type SandboxContext } from './app.js';
import { fail, unknownObject } from './graph-errors.js';
import { assertMessagingProduct, optionalString } from './management-input.js';
import type { Media, SandboxState } from './state.js';

const KB = 1024;
const MB = 1024 * 1024;
/** Uploaded media lives 30 days (inbound media 7 days, set by whoever stores it). */
export const UPLOAD_TTL_MS = 30 * 24 * 3600_000;

/** Why: supported types and caps, https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types */
const MEDIA_TYPES: Record<string, { kind: MediaType; maxBytes: number }> = {
  'image/jpeg': { kind: 'image', maxBytes: 5 * MB },
  'image/png': { kind: 'image', maxBytes: 5 * MB },
  'video/mp4': { kind: 'video', maxBytes: 16 * MB },
  'video/3gpp': { kind: 'video', maxBytes: 16 * MB },
  'audio/aac': { kind: 'audio', maxBytes: 16 * MB },
  'audio/amr': { kind: 'audio', maxBytes: 16 * MB },
  'audio/mpeg': { kind: 'audio', maxBytes: 16 * MB },
  'audio/mp4': { kind: 'audio', maxBytes: 16 * MB },
  'audio/ogg': { kind: 'audio', maxBytes: 16 * MB },
  'text/plain': { kind: 'document', maxBytes: 100 * MB },
  'application/pdf': { kind: 'document', maxBytes: 100 * MB },
  'application/msword': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-excel': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-powerpoint': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'document', maxBytes: 100 * MB },
  // Stickers: static 100 KB, animated 500 KB (decided from the bytes below).
  'image/webp': { kind: 'sticker', maxBytes: 500 * KB },
};
const STATIC_STICKER_MAX = 100 * KB;

/** The media kind (image, video…) of a MIME type the Cloud API accepts, or undefined. */
export function mediaKindOf(mimeType: string): MediaType | undefined {
  return MEDIA_TYPES[normaliseMime(mimeType)]?.kind;
}

function normaliseMime(mime: string): string {
  return mime.split(';')[0]!.trim().toLowerCase();
}

/** MIME types the file's leading bytes are compatible with, when they carry a known signature. */
function sniff(bytes: Buffer): string[] | undefined {
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1');
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return ['image/jpeg'];
  if (ascii(0, 4) === '\x89PNG') return ['image/png'];
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return ['image/webp'];
  if (ascii(0, 3) === 'GIF') return ['image/gif'];
  if (ascii(0, 5) === '%PDF-') return ['application/pdf'];
  if (ascii(4, 8) === 'ftyp') return ['video/mp4', 'video/3gpp', 'audio/mp4'];
  if (ascii(0, 4) === 'OggS') return ['audio/ogg'];
  if (ascii(0, 5) === '#!AMR') return ['audio/amr'];
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return ['audio/mpeg', 'audio/aac'];
  if (ascii(0, 4) === 'PK\x03\x04') return Object.keys(MEDIA_TYPES).filter((m) => m.includes('openxmlformats'));
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'];
  return undefined;
}

function isAnimatedWebp(bytes: Buffer): boolean {
  return bytes.subarray(0, 4096).includes('ANIM');
}

/** Checks a file against Meta's rules; the error is 131053 (Media upload error). */
export function assertUploadable(mimeType: string, bytes: Buffer): void {
  const mime = normaliseMime(mimeType);
  const spec = MEDIA_TYPES[mime];
  if (!spec) fail(131053, `Param file must be a file with one of the following types: ${Object.keys(MEDIA_TYPES).join(', ')}. Received file of type '${mime}'.`);
  if (bytes.length === 0) fail(131053, 'The uploaded file is empty');
  const sniffed = sniff(bytes);
  if (sniffed && !sniffed.includes(mime)) fail(131053, `The file's content does not match its MIME type ${mime}`);
  const cap = mime === 'image/webp' && !isAnimatedWebp(bytes) ? STATIC_STICKER_MAX : spec.maxBytes;
  if (bytes.length > cap) fail(131053, `File size ${bytes.length} bytes exceeds the ${Math.round(cap / KB)} KB limit for ${mime}`);
}

export interface StoreMediaInput {
  phoneNumberId: string;
  mimeType: string;
  bytes: Buffer;
  filename?: string;
  ttlMs: number;
}

/** Stores media (uploaded, or sent by a simulated customer) and returns the record. */
export function storeMedia(state: SandboxState, input: StoreMediaInput): Media {
  const now = state.clock.now();
  const media: Media = {
    id: state.newId(),
    phoneNumberId: input.phoneNumberId,
    mimeType: normaliseMime(input.mimeType),
    sha256: createHash('sha256').update(input.bytes).digest('base64'),
    bytes: input.bytes,
    ...(input.filename ? { filename: input.filename } : {}),
    createdAt: now,
    expiresAt: now + input.ttlMs,
    deleted: false,
    urlKeys: new Map(),
  };
  state.media.set(media.id, media);
  return media;
}

export function registerMediaRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post<{ Params: { phoneNumberId: string } }>('/:version/:phoneNumberId/media', async (req) => uploadMedia(ctx, req, req.params.phoneNumberId));
  app.get('/whatsapp_business/attachments/', async (req, reply) => downloadMedia(ctx, req, reply));
}

interface UploadedFile { bytes: Buffer; mimetype: string; filename: string }

async function uploadMedia(ctx: SandboxContext, req: FastifyRequest, phoneNumberId: string): Promise<{ id: string }> {
  const phone = ctx.state.phoneNumbers.get(phoneNumberId);
  if (!phone || phone.deleted) unknownObject(phoneNumberId);
  assertWabaAccess(req, phone.wabaId);
  if (!req.isMultipart()) fail(100, 'Upload media as multipart/form-data with messaging_product, file and type');
  const fields: Record<string, unknown> = {};
  let file: UploadedFile | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.fieldname === 'file' && !file) file = { bytes, mimetype: part.mimetype, filename: part.filename };
    } else {
      fields[part.fieldname] = part.value;
    }
  }
  assertMessagingProduct(fields);
  if (!file) fail(100, 'The parameter file is required');
  const declared = optionalString(fields, 'type') ?? file.mimetype;
  const partType = normaliseMime(file.mimetype);
  if (partType !== 'application/octet-stream' && partType !== normaliseMime(declared)) {
    fail(131053, `Param type ${declared} does not match the file's MIME type ${file.mimetype}`);
  }
  assertUploadable(declared, file.bytes);
  const media = storeMedia(ctx.state, {
    phoneNumberId, mimeType: declared, bytes: file.bytes, ttlMs: UPLOAD_TTL_MS,
    ...(file.filename ? { filename: file.filename } : {}),
  });
  return { id: media.id };
}

function liveMedia(state: SandboxState, media: Media): boolean {
  return !media.deleted && media.expiresAt > state.clock.now();
}

function assertMediaAccess(ctx: SandboxContext, req: FastifyRequest, media: Media): void {
  const phone = ctx.state.phoneNumbers.get(media.phoneNumberId);
  if (!phone || !liveMedia(ctx.state, media)) unknownObject(media.id);
  assertWabaAccess(req, phone.wabaId);
  const scope = optionalString((req.query ?? {}) as Record<string, unknown>, 'phone_number_id');
  if (scope !== undefined && scope !== media.phoneNumberId) {
    fail(100, `The media ${media.id} does not belong to phone number ${scope}`);
  }
}

/** GET /{media-id}: a URL to download the bytes, valid `mediaUrlTtlMs` (Meta: 5 minutes). */
export function getMediaInfo(ctx: SandboxContext, req: FastifyRequest, media: Media): Record<string, unknown> {
  assertMediaAccess(ctx, req, media);
  const state = ctx.state;
  const now = state.clock.now();
  for (const [key, until] of media.urlKeys) if (until <= now) media.urlKeys.delete(key);
  const key = state.random.token(32);
  const until = now + state.options.mediaUrlTtlMs;
  media.urlKeys.set(key, until);
  const url = `${state.options.publicBaseUrl}/whatsapp_business/attachments/?mid=${media.id}&ext=${Math.floor(until / 1000)}&hash=${key}`;
  return { messaging_product: 'whatsapp', url, mime_type: media.mimeType, sha256: media.sha256, file_size: media.bytes.length, id: media.id };
}

/** DELETE /{media-id} */
export function deleteMedia(ctx: SandboxContext, req: FastifyRequest, media: Media): Record<string, unknown> {
  assertMediaAccess(ctx, req, media);
  media.deleted = true;
  media.urlKeys.clear();
  ctx.state.media.delete(media.id);
  return { success: true };
}

/**
 * GET /whatsapp_business/attachments/?mid=…&hash=…: the bytes, only with a valid bearer token
 * (this path is outside /vNN so the app's auth hook doesn't cover it). Unknown or expired → 404.
 */
async function downloadMedia(ctx: SandboxContext, req: FastifyRequest, reply: FastifyReply): Promise<Buffer> {
  const state = ctx.state;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const token = match?.[1] ? state.tokens.get(match[1]) : undefined;
  if (!match) fail(190, 'An access token is required to download media', { title: 'An active access token must be used to query information about the current user.' });
  if (!token) fail(190, 'Invalid OAuth access token - Cannot parse access token', { title: 'Invalid OAuth access token - Cannot parse access token' });
  if (token.expiresAt !== undefined && token.expiresAt <= state.clock.now()) {
    fail(190, 'The access token has expired', { subcode: 463, title: 'Error validating access token: Session has expired' });
  }
  const q = (req.query ?? {}) as Record<string, unknown>;
  const media = state.media.get(String(q.mid ?? ''));
  const until = media?.urlKeys.get(String(q.hash ?? ''));
  const phone = media ? state.phoneNumbers.get(media.phoneNumberId) : undefined;
  if (!media || !phone || !liveMedia(state, media) || until === undefined || until <= state.clock.now() || !token.wabaIds.includes(phone.wabaId)) {
    fail(100, 'The media URL is unknown or has expired; request a new URL with GET /{media-id}', { http: 404 });
  }
  void reply.header('content-type', media.mimeType).header('content-length', String(media.bytes.length));
  if (media.filename) void reply.header('content-disposition', `attachment; filename="${media.filename.replace(/["\\\r\n]/g, '_')}"`);
  return media.bytes;
}
