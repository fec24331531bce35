// A modal dialog on the native <dialog> (focus kept inside, Esc closes) and a read-only link with a
// Copy button, used by the People and Teams pages.

import { useId, useRef, useState, type ReactNode } from 'react';
import { useT } from '../../i18n/i18n.js';
import { Button } from '../../ui/ui.js';
import styles from './settings.module.css';
import { useModal } from '../../ui/use-modal.js';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode }) {
  const { ref, titleId } = useModal();
  return (
    <dialog ref={ref} className={styles.dialog} aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); props.onClose(); }}>
      <h2 id={titleId} className={styles.dialogTitle}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

export function CopyLink(props: { url: string; label: string }) {
  const t = useT();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.url);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('manual');
    }
  };
  return (
    <div className={styles.copy}>
      <label htmlFor={id}>{props.label}</label>
      <div className={styles.copyRow}>
        <input ref={input} id={id} readOnly value={props.url} onFocus={(e) => e.target.select()} data-testid="copy-link" />
        <Button onClick={() => void copy()}>{t('settings.copy')}</Button>
      </div>
      <span role="status" className={styles.hint}>{copied === 'yes' ? t('settings.copied') : copied === 'manual' ? t('settings.copyManual') : ''}</span>
    </div>
  );
}
