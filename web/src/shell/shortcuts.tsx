// Inbox keyboard shortcuts by event.code (so they work on a Russian layout too), never while typing in
// a field: R reply / N private note (the composer in that mode, focused), E resolve, A assign to me, S the snooze menu, ? (Shift+/) the
// sheet listing them. J/K and ↑/↓ live in the conversation list, / in the search box.

import { Fragment, useEffect, useState } from 'react';
import { useT } from '../i18n/i18n.js';
import { sendPaneCommand, type PaneCommand } from '../pages/inbox/conversation/actions/conversation-actions.js';
import { setComposerMode } from '../pages/inbox/conversation/notes/notes-store.js';
import styles from './shortcuts.module.css';
import { useModal } from '../ui/use-modal.js';

export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

const COMMANDS: Partial<Record<string, PaneCommand>> = { KeyE: 'resolve', KeyA: 'assignToMe', KeyS: 'snooze' };

/** What a key press does (null: not ours), from its code and modifiers only. */
export function shortcutOf(e: { code: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): 'help' | 'reply' | 'note' | PaneCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.code === 'Slash' && e.shiftKey) return 'help';
  if (e.shiftKey) return null;
  if (e.code === 'KeyR') return 'reply';
  if (e.code === 'KeyN') return 'note';
  return COMMANDS[e.code] ?? null;
}

const ROWS: Array<{ keys: string[][]; label: string }> = [
  { keys: [['J'], ['↓']], label: 'team.shortcuts.next' },
  { keys: [['K'], ['↑']], label: 'team.shortcuts.previous' },
  { keys: [['R']], label: 'team.shortcuts.reply' },
  { keys: [['N']], label: 'team.shortcuts.note' },
  { keys: [['E']], label: 'team.shortcuts.resolve' },
  { keys: [['A']], label: 'team.shortcuts.assign' },
  { keys: [['S']], label: 'team.shortcuts.snooze' },
  { keys: [['/']], label: 'team.shortcuts.search' },
  { keys: [['Shift', '/']], label: 'team.shortcuts.help' },
];

function Sheet(props: { onClose: () => void }) {
  const t = useT();
  const { ref, titleId } = useModal();
  return (
    <dialog ref={ref} className={styles.dialog} aria-labelledby={titleId} data-testid="shortcut-sheet"
      onCancel={(e) => { e.preventDefault(); props.onClose(); }}>
      <h2 id={titleId} className={styles.title}>{t('team.shortcuts.title')}</h2>
      <table className={styles.keys}>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.label}>
              <th scope="row">
                {row.keys.map((combo, i) => (
                  <Fragment key={combo.join('+')}>
                    {i > 0 && <span className={styles.or}>{t('team.shortcuts.or')}</span>}
                    {combo.map((k, j) => <Fragment key={k}>{j > 0 && ' + '}<kbd>{k}</kbd></Fragment>)}
                  </Fragment>
                ))}
              </th>
              <td>{t(row.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.hint}>{t('team.shortcuts.hint')}</p>
      <button type="button" className={styles.close} onClick={props.onClose} autoFocus>{t('team.shortcuts.close')}</button>
    </dialog>
  );
}

/** Mounted once on the inbox page: listens for the shortcuts and shows the sheet on ?. */
export function Shortcuts() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target) || e.repeat) return;
      // Another modal (transfer, media viewer…) owns the keyboard while it is open.
      if (document.querySelector('dialog[open]')) return;
      const what = shortcutOf(e);
      if (what === null) return;
      if (what === 'help') {
        e.preventDefault();
        setOpen(true);
      } else if (what === 'reply' || what === 'note') {
        const pane = document.querySelector<HTMLElement>('section[data-conversation-id]');
        const id = pane?.dataset['conversationId'];
        if (!pane || !id) return;
        e.preventDefault();
        setComposerMode(id, what);
        // After the composer re-rendered in that mode.
        requestAnimationFrame(() => pane.querySelector<HTMLTextAreaElement>('textarea')?.focus());
      } else if (sendPaneCommand(what)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return open ? <Sheet onClose={() => setOpen(false)} /> : null;
}
