// "Reply" and "React" on a message bubble, shown on hover and on keyboard focus: Reply puts the
// message above the composer's text box (reply-store.ts); React opens six quick reactions and
// "Remove", sent at once as a reaction message to the message's WhatsApp id.

import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import type { Message } from '../conversation-store.js';
import { denyReasonKey } from '../message-status.js';
import { sendToConversation } from '../send-message.js';
import { QUICK_REACTIONS } from './emoji.js';
import { useOutside } from './emoji-picker.js';
import { setReplyTarget } from './reply-store.js';
import styles from './composer-extras.module.css';

/** Messages that exist at WhatsApp (they have a wamid) can be quoted and reacted to. */
const canAct = (m: Message) => m.wamid !== null && m.type !== 'reaction' && m.type !== 'system';

export function MessageActions(props: { message: Message; ourReaction: string | null }): ReactNode {
  const t = useT();
  const m = props.message;
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useOutside(root, open, close);
  if (!canAct(m)) return null;

  const react = async (emoji: string) => {
    setBusy(true);
    setProblem(null);
    const r = await sendToConversation(m, { type: 'reaction', messageWamid: m.wamid!, emoji });
    setBusy(false);
    if (r.ok) setOpen(false);
    else setProblem(r.denied ? t(denyReasonKey(r.reason)) : r.text);
  };

  return (
    <div className={`${styles.actions} ${open ? styles.actionsOpen : ''}`} ref={root} data-testid="message-actions"
      onKeyDown={(e) => { if (e.key === 'Escape' && open) { e.stopPropagation(); setOpen(false); } }}>
      <button type="button" className={styles.action} onClick={() => {
        setReplyTarget(m.conversationId, m);
        document.querySelector<HTMLTextAreaElement>('section[data-conversation-id] form textarea')?.focus();
      }}>{t('composer.reply')}</button>
      <button type="button" className={styles.action} aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen((o) => !o)}>{t('composer.react')}</button>
      {open && (
        <div className={`${styles.popover} ${styles.reactionPopover}`} role="dialog" aria-label={t('composer.reactions')} data-testid="reaction-picker">
          <div className={styles.grid}>
            {QUICK_REACTIONS.map((e) => (
              <button key={e} type="button" className={`${styles.emoji} ${props.ourReaction === e ? styles.chosen : ''}`} disabled={busy}
                aria-pressed={props.ourReaction === e} aria-label={t('composer.reactWith', { emoji: e })} onClick={() => void react(e)}>{e}</button>
            ))}
          </div>
          {props.ourReaction && <button type="button" className={styles.remove} disabled={busy} onClick={() => void react('')}>{t('composer.reactionRemove')}</button>}
          {problem && <div className={styles.problem} role="alert">{problem}</div>}
        </div>
      )}
    </div>
  );
}
