// Media files: uploads through Parley (kept locally and uploaded to the Cloud API for sending) and
// inbound media (downloaded from the Cloud API while its URL is valid). Files live under MEDIA_DIR.

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bareMime, isUploadableMime, mediaSendProblem, mediaSourcesOf } from '../core/media.js';
import type { OutboundContent } from '../core/message-content.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../http/deps.js';
import { newId } from '../store/ids.js';
import { findMediaByMetaId, getMedia, insertMedia, type MediaRecord } from '../store/queries/media.js';
import type { InboxWithToken } from './inbox-cache.js';


async function writeFileFor(deps: AppDeps, workspaceId: string, id: string, bytes: Buffer): Promise<string> {
  const relative = join(workspaceId, id);
  const dir = resolve(deps.config.mediaDir, workspaceId);
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(deps.config.mediaDir, relative), bytes);
  return relative;
}

export interface UploadInput { inbox: InboxWithToken; bytes: Buffer; mimeType: string; filename: string }

/** Keeps a copy and uploads it to the Cloud API; a message's `mediaId` takes the record's id (resolveContentMedia). */
export async function uploadMedia(deps: AppDeps, workspaceId: string, input: UploadInput): Promise<MediaRecord> {
  const mimeType = bareMime(input.mimeType);
  if (!isUploadableMime(mimeType)) throw new AppError('unsupported_media_type', `WhatsApp does not accept ${mimeType || 'this file type'}.`);
  if (input.bytes.length === 0) throw new AppError('validation_failed', 'The file is empty.');
  const now = deps.now();
  const id = newId('med', now);
  // Meta first: a refused upload leaves no local file behind (an accepted one expires there in 30 days).
  const uploaded = await deps.cloudApi.uploadMedia(input.inbox.phoneNumberId, input.bytes, mimeType, input.filename, { accessToken: input.inbox.accessToken });
  const path = await writeFileFor(deps, workspaceId, id, input.bytes);
  return insertMedia(deps.database.db, workspaceId, {
    id, inboxId: input.inbox.id, direction: 'out', metaMediaId: uploaded.id, mimeType, size: input.bytes.length,
    sha256: createHash('sha256').update(input.bytes).digest('base64'), filename: input.filename, path, now,
  });
}

/** Downloads an inbound media file (Meta media id) and records it; the caller attaches it to its message. */
export async function downloadInboundMedia(
  deps: AppDeps, workspaceId: string, inbox: InboxWithToken, metaMediaId: string, filename: string | null,
): Promise<MediaRecord> {
  const call = { accessToken: inbox.accessToken };
  const info = await deps.cloudApi.getMediaInfo(metaMediaId, inbox.phoneNumberId, call);
  const file = await deps.cloudApi.downloadMedia(info.url, { ...call, maxBytes: deps.config.mediaMaxBytes });
  const now = deps.now();
  const id = newId('med', now);
  const path = await writeFileFor(deps, workspaceId, id, file.bytes);
  return insertMedia(deps.database.db, workspaceId, {
    id, inboxId: inbox.id, direction: 'in', metaMediaId, mimeType: info.mime_type, size: file.bytes.length,
    sha256: info.sha256, filename, path, now,
  });
}

export async function readMediaFile(deps: AppDeps, media: MediaRecord): Promise<Buffer> {
  if (!media.path) throw new AppError('media_not_found', 'This media was never downloaded.');
  return readFile(resolve(deps.config.mediaDir, media.path));
}

/**
 * The content with every `mediaId` (Parley's media id, or the metaMediaId of a Parley upload) resolved
 * to the Meta media id of the sending inbox, which is what Meta needs (131053 otherwise). Unknown in
 * this workspace → media_not_found; another inbox's, expired or the wrong type → media_not_usable.
 */
export async function resolveContentMedia(deps: AppDeps, workspaceId: string, inboxId: string, content: OutboundContent): Promise<OutboundContent> {
  if (!mediaSourcesOf(content).some((ref) => ref.source.mediaId)) return content;
  const resolved = structuredClone(content);
  for (const { path, kind, source } of mediaSourcesOf(resolved)) {
    if (!source.mediaId) continue;
    const media = await getMedia(deps.database.db, workspaceId, source.mediaId) ?? await findMediaByMetaId(deps.database.db, workspaceId, source.mediaId);
    if (!media) {
      throw new AppError('media_not_found', `${path}.mediaId ${source.mediaId} is not a file of this workspace: upload it with POST /api/v1/media and pass the id it answers.`);
    }
    const problem = mediaSendProblem(media, { kind, inboxId, now: deps.now(), path });
    if (problem) throw new AppError('media_not_usable', problem, { mediaId: media.id });
    source.mediaId = media.id;
    source.metaMediaId = media.metaMediaId!;
  }
  return resolved;
}
