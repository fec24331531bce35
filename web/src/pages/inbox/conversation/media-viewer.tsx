// An image or video opened full size over the pane; Escape, the close button or a click outside closes it.

import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import styles from './message-body.module.css';

export function MediaViewer(props: { kind: 'image' | 'video'; url: string; caption: string | null; onClose: () => void }): ReactNode {
  const t = useT();
  const close = useRef<HTMLButtonElement>(null);
  const { onClose } = props;
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className={styles.viewer} role="dialog" aria-modal="true" aria-label={t(props.kind === 'image' ? 'conversation.media.image' : 'conversation.media.video')}
      onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <button ref={close} type="button" className={styles.viewerClose} onClick={onClose}>{t('conversation.close')}</button>
      {props.kind === 'image'
        ? <img src={props.url} alt={props.caption ?? t('conversation.media.image')} />
        : <video src={props.url} controls autoPlay />}
      {props.caption && <div className={styles.viewerCaption}>{props.caption}</div>}
    </div>
  );
}
