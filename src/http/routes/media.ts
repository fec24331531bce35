// Media through Parley: POST /api/v1/media (multipart `file`, optional `inboxId`) uploads to the
// Cloud API and answers the record — its `id` goes in a message's `content.mediaId` (sent as Meta's id);
// GET /api/v1/media/:id/content serves a stored file (uploads and inbound media alike).

import { Type } from '@sinclair/typebox';
import multipart from '@fastify/multipart';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { InboxCache } from '../../services/inbox-cache.js';
import { readMediaFile, uploadMedia } from '../../services/media.js';
import { resolveInbox } from '../../services/recipients.js';
import { getMedia } from '../../store/queries/media.js';
import type { AppDeps } from '../deps.js';
import { downloadHeaders } from '../download-headers.js';
import { IdParams, described, errors } from '../schemas.js';

const MediaRecord = Type.Object({
  id: Type.String(), inboxId: Type.Union([Type.String(), Type.Null()]), direction: Type.String(),
  metaMediaId: Type.Union([Type.String(), Type.Null()]), mimeType: Type.String(), sha256: Type.Union([Type.String(), Type.Null()]),
  size: Type.Integer(), filename: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Integer(),
});

export async function registerMediaRoutes(api: FastifyInstance, deps: AppDeps): Promise<void> {
  const inboxes = new InboxCache(deps);

  // Multipart parsing in this scope only: registered for the whole app, its onResponse hook ran on
  // every request (each webhook included).
  await api.register(async (uploads) => {
    await uploads.register(multipart, { limits: { fileSize: deps.config.mediaMaxBytes, files: 1 } });
    registerUpload(uploads, deps, inboxes);
  });

  api.get('/media/:id/content', {
    schema: { tags: ['media'], summary: 'Download a stored file', params: IdParams,
      response: {
        200: { description: 'The file, with nosniff: images, audio, video and PDF inline with their type; anything else as application/octet-stream with Content-Disposition: attachment', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        ...errors(401, 'media_not_found'),
      } },
  }, async (req, reply) => {
    const media = await getMedia(deps.database.db, req.workspaceId, (req.params as { id: string }).id);
    if (!media) throw new AppError('media_not_found');
    const bytes = await readMediaFile(deps, media);
    // nosniff comes from the security headers; the type is ours, never the uploader's for active content.
    return reply.headers(downloadHeaders(media.mimeType, media.filename ?? media.id)).header('content-length', bytes.length).send(bytes);
  });
}

/** The upload's file part and bytes; a malformed or truncated body (the parser's plain errors) is multipart_invalid. */
async function readFilePart(req: FastifyRequest): Promise<{ part: MultipartFile; bytes: Buffer }> {
  try {
    const part = await req.file();
    if (!part) throw new AppError('validation_failed', 'No file: send it in a multipart field named "file".');
    return { part, bytes: await part.toBuffer() };
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (err instanceof AppError || (typeof status === 'number' && status < 500)) throw err;
    throw new AppError('multipart_invalid', `The multipart/form-data body could not be read (${(err as Error).message}): send the whole body, with its boundary, and the file in a field named "file".`);
  }
}

function registerUpload(api: FastifyInstance, deps: AppDeps, inboxes: InboxCache): void {
  api.post('/media', {
    schema: {
      tags: ['media'], summary: 'Upload a file (multipart/form-data, field "file"; optional field "inboxId")',
      description: 'Answers the stored file; pass its `id` as `content.mediaId` of a message sent from the same inbox (Meta media ids belong to one number and expire after 30 days).',
      consumes: ['multipart/form-data'], response: { 201: described(MediaRecord, 'Stored and uploaded to the Cloud API: send it with content.mediaId'), ...errors(400, 'multipart_invalid', 401, 'inbox_not_found', 413, 415, 502, 503) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data in a field named "file".');
    const { part, bytes } = await readFilePart(req);
    const inboxField = part.fields.inboxId as { value?: unknown } | undefined;
    const inboxId = typeof inboxField?.value === 'string' ? inboxField.value : undefined;
    const inbox = await resolveInbox(deps.database.db, req.workspaceId, inboxId);
    const media = await uploadMedia(deps, req.workspaceId, {
      inbox: await inboxes.get(req.workspaceId, inbox.id), bytes, mimeType: part.mimetype, filename: part.filename || 'file',
    });
    return reply.status(201).send(media);
  });
}
