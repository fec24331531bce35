// Uploads one file to POST /api/v1/media (multipart, field "file", with the inbox) through XHR for
// its progress events; answers Parley's media record, or its error (code and message) to show inline.

import { getCsrfToken } from '../../../../api/client.js';

export interface UploadedMedia { id: string; mimeType: string; size: number; filename: string | null }
export type UploadResult = { ok: true; media: UploadedMedia } | { ok: false; code: string; message: string };

export function uploadFile(file: Blob, filename: string, inboxId: string, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.append('inboxId', inboxId); // fields before the file: the server reads them with the file part
    form.append('file', file, filename);
    xhr.open('POST', '/api/v1/media');
    xhr.withCredentials = true;
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 201 && body && typeof (body as UploadedMedia).id === 'string') {
        onProgress(1);
        resolve({ ok: true, media: body as UploadedMedia });
        return;
      }
      const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      resolve({
        ok: false, code: typeof e?.code === 'string' ? e.code : `http_${xhr.status}`,
        message: typeof e?.message === 'string' ? e.message : xhr.statusText || String(xhr.status),
      });
    };
    xhr.onerror = () => resolve({ ok: false, code: 'network_error', message: 'network error' });
    xhr.onabort = () => resolve({ ok: false, code: 'aborted', message: 'aborted' });
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
