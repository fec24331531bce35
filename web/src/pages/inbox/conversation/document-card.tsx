// A document in a bubble: its name, its size (read with a HEAD request) and a download link.

import { useEffect, useState, type ReactNode } from 'react';
import { formatNumber, useT } from '../../../i18n/i18n.js';
import { Icon } from './icons.js';
import styles from './message-body.module.css';

/** "12 KB", "3.4 MB": sizes as people read them. */
export function formatBytes(bytes: number): { value: string; unit: 'B' | 'KB' | 'MB' | 'GB' } {
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return { value: formatNumber(i === 0 || v >= 10 ? Math.round(v) : Math.round(v * 10) / 10), unit: units[i]! };
}

export function DocumentCard(props: { url: string | null; filename: string | null }): ReactNode {
  const t = useT();
  const [size, setSize] = useState<number | null>(null);
  useEffect(() => {
    if (!props.url || !props.url.startsWith('/api/')) return;
    let live = true;
    fetch(props.url, { method: 'HEAD', credentials: 'same-origin' })
      .then((res) => {
        const n = Number(res.headers.get('content-length'));
        if (live && res.ok && Number.isFinite(n) && n > 0) setSize(n);
      })
      .catch(() => undefined);
    return () => { live = false; };
  }, [props.url]);
  const name = props.filename ?? t('conversation.media.document');
  const bytes = size === null ? null : formatBytes(size);
  return (
    <div className={styles.document}>
      <span className={styles.docIcon}><Icon name="file" size={28} /></span>
      <span className={styles.docText}>
        <span className={styles.docName} title={name}>{name}</span>
        {bytes && <span className={styles.muted}>{t(`conversation.size.${bytes.unit}`, { n: bytes.value })}</span>}
      </span>
      {props.url
        ? <a className={styles.download} href={props.url} download={props.filename ?? ''} target="_blank" rel="noopener noreferrer">{t('conversation.media.download')}</a>
        : <span className={styles.muted}>{t('conversation.media.documentMissing')}</span>}
    </div>
  );
}
