// Media through Parley: POST /api/v1/media (multipart `file`, optional `inboxId`) uploads to the
// Cloud API and answers the record — its `metaMediaId` goes in a message's `content.mediaId`;
// GET /api/v1/media/:id/content serves a stored file (uploads and inbound media alike).

import { Type } from '@sinclair/typebox';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { InboxCache } from '../../services/inbox-cache.js';
import { readMediaFile, uploadMedia } from '../../services/media.js';
import { resolveInbox } from '../../services/recipients.js';
import { getMedia } from '../../store/queries/media.js';
import type { AppDeps } from '../deps.js';
import { IdParams, errors } from '../schemas.js';

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
    schema: { tags: ['media'], summary: 'Download a stored file', params: IdParams, response: errors(401, 404) },
  }, async (req, reply) => {
    const media = await getMedia(deps.database.db, req.workspaceId, (req.params as { id: string }).id);
    if (!media) throw new AppError('media_not_found');
    const bytes = await readMediaFile(deps, media);
    return reply.type(media.mimeType).header('content-length', bytes.length).send(bytes);
  });
}

function registerUpload(api: FastifyInstance, deps: AppDeps, inboxes: InboxCache): void {
  api.post('/media', {
    schema: {
      tags: ['media'], summary: 'Upload a file (multipart/form-data, field "file"; optional field "inboxId")',
      consumes: ['multipart/form-data'], response: { 201: MediaRecord, ...errors(400, 401, 404, 413, 415) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data in a field named "file".');
    const part = await req.file();
    if (!part) throw new AppError('validation_failed', 'No file: send it in a multipart field named "file".');
    const bytes = await part.toBuffer();
    const inboxField = part.fields.inboxId as { value?: unknown } | undefined;
    const inboxId = typeof inboxField?.value === 'string' ? inboxField.value : undefined;
    const inbox = await resolveInbox(deps.database.db, req.workspaceId, inboxId);
    const media = await uploadMedia(deps, req.workspaceId, {
      inbox: await inboxes.get(req.workspaceId, inbox.id), bytes, mimeType: part.mimetype, filename: part.filename || 'file',
    });
    return reply.status(201).send(media);
  });
}
