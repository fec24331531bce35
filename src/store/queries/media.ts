// Media files: uploads for sending and inbound downloads, stored on local disk (path) and tracked here.

import type { Db } from '../db.js';
import { newId } from '../ids.js';
import type { Direction, MediaRow } from '../rows.js';

export interface MediaRecord {
  id: string;
  workspaceId: string;
  inboxId: string | null;
  direction: Direction;
  /** Meta's media id (uploaded to, or received from, the Cloud API). */
  metaMediaId: string | null;
  mimeType: string;
  sha256: string | null;
  size: number;
  filename: string | null;
  /** Local storage path, relative to MEDIA_DIR. */
  path: string | null;
  createdAt: number;
}

export type NewMedia = Omit<MediaRecord, 'id' | 'workspaceId' | 'createdAt' | 'inboxId' | 'metaMediaId' | 'sha256' | 'filename' | 'path'> &
  Partial<Pick<MediaRecord, 'id' | 'inboxId' | 'metaMediaId' | 'sha256' | 'filename' | 'path'>> & { now?: number };

function toRecord(row: MediaRow): MediaRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    inboxId: row.inbox_id,
    direction: row.direction,
    metaMediaId: row.meta_media_id,
    mimeType: row.mime_type,
    sha256: row.sha256,
    size: row.size,
    filename: row.filename,
    path: row.path,
    createdAt: row.created_at,
  };
}

export async function insertMedia(db: Db, workspaceId: string, input: NewMedia): Promise<MediaRecord> {
  const now = input.now ?? Date.now();
  const row: MediaRow = {
    id: input.id ?? newId('med', now),
    workspace_id: workspaceId,
    inbox_id: input.inboxId ?? null,
    direction: input.direction,
    meta_media_id: input.metaMediaId ?? null,
    mime_type: input.mimeType,
    sha256: input.sha256 ?? null,
    size: input.size,
    filename: input.filename ?? null,
    path: input.path ?? null,
    created_at: now,
  };
  await db.insertInto('media').values(row).execute();
  return toRecord(row);
}

export async function getMedia(db: Db, workspaceId: string, mediaId: string): Promise<MediaRecord | undefined> {
  const row = await db.selectFrom('media').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', mediaId).executeTakeFirst();
  return row && toRecord(row);
}

export async function findMediaByMetaId(db: Db, workspaceId: string, metaMediaId: string): Promise<MediaRecord | undefined> {
  const row = await db
    .selectFrom('media')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('meta_media_id', '=', metaMediaId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Records Meta's id after an upload, or the local file after a download. */
export async function updateMedia(
  db: Db,
  workspaceId: string,
  mediaId: string,
  patch: Partial<Pick<MediaRecord, 'metaMediaId' | 'sha256' | 'size' | 'path' | 'filename' | 'mimeType'>>,
): Promise<MediaRecord | undefined> {
  if (Object.values(patch).every((value) => value === undefined)) return getMedia(db, workspaceId, mediaId);
  const row = await db
    .updateTable('media')
    .set({
      meta_media_id: patch.metaMediaId,
      sha256: patch.sha256,
      size: patch.size,
      path: patch.path,
      filename: patch.filename,
      mime_type: patch.mimeType,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', mediaId)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}
