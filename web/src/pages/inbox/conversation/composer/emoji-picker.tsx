// The emoji button of the composer: a small grouped grid (emoji.ts); a click inserts at the caret.

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import { EMOJI_GROUPS } from './emoji.js';
import styles from './composer-extras.module.css';

export function EmojiPicker(props: { onPick: (emoji: string) => void }): ReactNode {
  const t = useT();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useOutside(root, open, () => setOpen(false));
  return (
    <div className={styles.popoverRoot} ref={root} onKeyDown={(e) => { if (e.key === 'Escape' && open) { e.stopPropagation(); setOpen(false); } }}>
      <button type="button" className={styles.tool} aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen((o) => !o)}
        aria-label={t('composer.emoji.open')} title={t('composer.emoji.open')}>
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round">
          <circle cx="8" cy="8" r="6.5" /><path d="M5.2 9.6a3.3 3.3 0 0 0 5.6 0M6 6.2v.3M10 6.2v.3" />
        </svg>
      </button>
      {open && (
        <div className={styles.popover} role="dialog" aria-label={t('composer.emoji.open')} data-testid="emoji-picker">
          {EMOJI_GROUPS.map((g) => (
            <div key={g.id} role="group" aria-label={t(`composer.emoji.${g.id}`)}>
              <div className={styles.groupTitle}>{t(`composer.emoji.${g.id}`)}</div>
              <div className={styles.grid}>
                {g.emoji.map((e) => <button key={e} type="button" className={styles.emoji} onClick={() => props.onPick(e)} aria-label={e}>{e}</button>)}
              </div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Closes a popover on a click outside it. */
export function useOutside(ref: React.RefObject<HTMLElement | null>, active: boolean, close: () => void): void {
  useEffect(() => {
    if (!active) return;
    const onDown = (e: PointerEvent) => { if (ref.current && !ref.current.contains(e.target as Node)) close(); };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [ref, active, close]);
}
