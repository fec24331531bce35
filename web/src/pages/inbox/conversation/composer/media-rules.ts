// What WhatsApp accepts as an attachment, checked in the browser before the upload: Meta's MIME types
// and size caps per kind (src/core/media.ts ATTACHMENT_KINDS, the one table), file names' extensions
// for what browsers leave untyped, and the problem to show.

import { ATTACHMENT_KINDS as KINDS, type AttachmentKind } from '../../../../../../src/core/media.js';

export type { AttachmentKind };

const MB = 1024 * 1024;

/** Browsers leave some types empty or guess them; the file name's extension decides then. */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', mp4: 'video/mp4', '3gp': 'video/3gpp',
  aac: 'audio/aac', amr: 'audio/amr', mp3: 'audio/mpeg', m4a: 'audio/mp4', ogg: 'audio/ogg', opus: 'audio/ogg',
  txt: 'text/plain', pdf: 'application/pdf', doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** The attribute of the file input: the types WhatsApp accepts. */
export const ACCEPT = [...Object.values(KINDS).flatMap((k) => k.mimes), ...Object.keys(BY_EXTENSION).map((e) => `.${e}`)].join(',');

export type AttachmentCheck =
  | { ok: true; kind: AttachmentKind; mimeType: string }
  | { ok: false; key: 'composer.file.wrongType' | 'composer.file.tooLarge' | 'composer.file.empty'; vars: Record<string, string> };

/** "4.2 MB", "512 KB" */
export function formatSize(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(bytes >= 10 * MB ? 0 : 1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The MIME type to upload the file as: its own when WhatsApp knows it, else by extension. */
export function mimeOf(file: { name: string; type: string }): string {
  const own = (file.type.split(';')[0] ?? '').trim().toLowerCase();
  if (Object.values(KINDS).some((k) => k.mimes.includes(own))) return own;
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  return (!own || own === 'application/octet-stream') && BY_EXTENSION[ext] ? BY_EXTENSION[ext]! : own;
}

/** Whether WhatsApp takes this file, as which kind, or why not (a catalog key and its values). */
export function checkAttachment(file: { name: string; type: string; size: number }): AttachmentCheck {
  const mimeType = mimeOf(file);
  const kind = (Object.keys(KINDS) as AttachmentKind[]).find((k) => KINDS[k].mimes.includes(mimeType));
  if (!kind) {
    const what = mimeType === 'image/webp' ? 'WebP' : mimeType || file.name.split('.').pop() || '?';
    return { ok: false, key: 'composer.file.wrongType', vars: { name: file.name, type: what } };
  }
  if (file.size === 0) return { ok: false, key: 'composer.file.empty', vars: { name: file.name } };
  const max = KINDS[kind].maxBytes;
  if (file.size > max) return { ok: false, key: 'composer.file.tooLarge', vars: { name: file.name, size: formatSize(file.size), max: formatSize(max), kind } };
  return { ok: true, kind, mimeType };
}
