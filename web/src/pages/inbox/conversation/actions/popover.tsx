// Two small overlays for the header: a popover under its button (Esc or a click outside closes it,
// focus goes back to the button) and a modal on the native <dialog> (focus kept inside, Esc closes).

import { useEffect, useId, useRef, type ReactNode } from 'react';
import styles from './actions.module.css';
import { useModal } from '../../../../ui/use-modal.js';

export function Popover(props: {
  label: string; open: boolean; onOpenChange: (open: boolean) => void; children: ReactNode;
  buttonClass?: string; align?: 'left' | 'right'; testId?: string; panelLabel?: string;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const { open } = props;
  // The latest callback, so a parent's re-render does not re-run the effect (and move the focus).
  const change = useRef(props.onOpenChange);
  change.current = props.onOpenChange;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) change.current(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') { e.stopPropagation(); change.current(false); button.current?.focus(); }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey, true);
    // The first item gets the focus, so the keyboard can go on from there.
    const first = wrap.current?.querySelector<HTMLElement>(`#${CSS.escape(panelId)} button, #${CSS.escape(panelId)} input`);
    first?.focus();
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open, panelId]);

  return (
    <div className={styles.wrap} ref={wrap}>
      <button ref={button} type="button" className={props.buttonClass ?? styles.btn} aria-expanded={open} aria-controls={open ? panelId : undefined}
        onClick={() => props.onOpenChange(!open)} data-testid={props.testId}>
        {props.label}
      </button>
      {open && (
        <div id={panelId} role="group" aria-label={props.panelLabel ?? props.label}
          className={`${styles.popover} ${props.align === 'left' ? styles.popoverLeft : ''}`}>
          {props.children}
        </div>
      )}
    </div>
  );
}

export function Modal(props: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const { ref, titleId } = useModal();
  return (
    <dialog ref={ref} className={styles.dialog} aria-labelledby={titleId} data-testid={props.testId}
      onCancel={(e) => { e.preventDefault(); props.onClose(); }}>
      <h2 id={titleId} className={styles.dialogTitle}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
