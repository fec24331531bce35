// A file on its way: checked against WhatsApp's rules before anything is uploaded, then uploaded to
// POST /api/v1/media with a progress bar and a preview (image, video, audio player, document name),
// an optional caption, and sent as an image/video/audio/document message with content.mediaId.

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import type { Conversation } from '../conversation-store.js';
import { checkAttachment, formatSize, type AttachmentKind } from './media-rules.js';
import { uploadFile, type UploadedMedia } from './upload.js';
import styles from './composer-extras.module.css';

export interface PickedFile { blob: Blob; name: string; kind: AttachmentKind; mimeType: string; voice: boolean; note?: string }

export type PickResult = { ok: true; file: PickedFile } | { ok: false; problem: string };

/** A dropped, pasted or chosen file as something to send, or why WhatsApp would not take it. */
export function pickFile(file: File, t: (key: string, vars?: Record<string, string | number>) => string): PickResult {
  const check = checkAttachment(file);
  if (!check.ok) return { ok: false, problem: t(check.key, { ...check.vars, kind: check.vars.kind ? t(`composer.kind.${check.vars.kind}`) : '' }) };
  return { ok: true, file: { blob: file, name: file.name, kind: check.kind, mimeType: check.mimeType, voice: false } };
}

type Upload = { state: 'uploading'; progress: number } | { state: 'done'; media: UploadedMedia } | { state: 'failed'; code: string; message: string };

/** Uploads at once; `onReady` gets the media (or null while uploading or after a failure). */
export function AttachmentCard(props: {
  file: PickedFile; conversation: Conversation; caption: string; onCaption: (c: string) => void;
  onReady: (media: UploadedMedia | null) => void; onRemove: () => void;
}): ReactNode {
  const t = useT();
  const { file, conversation } = props;
  const [upload, setUpload] = useState<Upload>({ state: 'uploading', progress: 0 });
  const [attempt, setAttempt] = useState(0);
  const url = useObjectUrl(file.blob);
  const onReady = useRef(props.onReady);
  onReady.current = props.onReady;

  useEffect(() => {
    const abort = new AbortController();
    setUpload({ state: 'uploading', progress: 0 });
    onReady.current(null);
    void uploadFile(file.blob, file.name, conversation.inboxId, (progress) => {
      if (!abort.signal.aborted) setUpload({ state: 'uploading', progress });
    }, abort.signal).then((r) => {
      if (abort.signal.aborted) return;
      setUpload(r.ok ? { state: 'done', media: r.media } : { state: 'failed', code: r.code, message: r.message });
      onReady.current(r.ok ? r.media : null);
    });
    return () => abort.abort();
  }, [file, conversation.inboxId, attempt]);

  const label = file.voice ? t('composer.voice.note') : t(`composer.kind.${file.kind}`);
  return (
    <div className={styles.card} data-testid="attachment" data-upload={upload.state}>
      <div className={styles.preview}>
        {file.kind === 'image' && url && <img src={url} alt={file.name} />}
        {file.kind === 'video' && url && <video src={url} muted controls preload="metadata" aria-label={file.name} />}
        {file.kind === 'audio' && url && <audio src={url} controls preload="metadata" aria-label={label} />}
        {file.kind === 'document' && <span className={styles.docIcon} aria-hidden="true">📄</span>}
      </div>
      <div className={styles.cardBody}>
        <div className={styles.fileName}><strong>{label}</strong> · {file.name} · {formatSize(file.blob.size)}</div>
        {file.note && <div className={styles.muted} data-testid="attachment-note">{file.note}</div>}
        {upload.state === 'uploading' && (
          <label className={styles.progress}>
            <span>{t('composer.upload.progress', { percent: Math.round(upload.progress * 100) })}</span>
            <progress max={1} value={upload.progress} />
          </label>
        )}
        {upload.state === 'done' && <div className={styles.muted}>{t('composer.upload.done')}</div>}
        {upload.state === 'failed' && (
          <div className={styles.problem} role="alert">
            {t('composer.upload.failed', { message: upload.message })} <span className={styles.muted}>({upload.code})</span>{' '}
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>{t('conversation.retry')}</button>
          </div>
        )}
        {file.kind !== 'audio' && (
          <input className={styles.caption} value={props.caption} maxLength={1024} onChange={(e) => props.onCaption(e.target.value)}
            placeholder={t('composer.caption')} aria-label={t('composer.caption')} />
        )}
      </div>
      <button type="button" className={styles.iconButton} onClick={props.onRemove} aria-label={t('composer.attachment.remove')} title={t('composer.attachment.remove')}>✕</button>
    </div>
  );
}

function useObjectUrl(blob: Blob): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}
