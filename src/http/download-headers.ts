// How a stored file is served back: the uploader's declared type is never trusted for active
// content (HTML, SVG, scripts run in Parley's origin), so only a passive allow-list is shown inline.

import { bareMime } from '../core/media.js';

/** Types a browser shows without running anything of the file's; everything else is a download. */
const INLINE = /^(image\/(jpeg|png|webp|gif)|audio\/(aac|amr|mpeg|mp4|ogg)|video\/(mp4|3gpp)|application\/pdf)$/;

export type DownloadHeaders = Record<'content-type' | 'content-disposition', string>;

/** Content-Type and Content-Disposition (RFC 6266) for a stored file of `mimeType` named `filename`. */
export function downloadHeaders(mimeType: string, filename: string): DownloadHeaders {
  const mime = bareMime(mimeType);
  const inline = INLINE.test(mime);
  return {
    'content-type': inline ? mime : 'application/octet-stream',
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', filename),
  };
}

/** `filename` as plain ASCII for old clients plus `filename*` (RFC 8187 UTF-8) for the exact name. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const name = safeFilename(filename);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** The last path segment, without control characters, at most 200 characters; "file" if nothing is left. */
function safeFilename(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\x00-\x1f\x7f]/g, '').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
