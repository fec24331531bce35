// "Send later" beside Send: a clock button opening a small dialog with an hour, three hours,
// tomorrow 9:00 or a date and time; times after the 24-hour window (as it stands) are shown but not
// offered, with why. Scheduling clears the box like sending does.

import { useId, useRef, useState, type ReactNode } from 'react';
import { formatDateTime, useT } from '../../../../i18n/i18n.js';
import { useNow } from '../../../../ui/use-now.js';
import { useOutside } from '../composer/emoji-picker.js';
import type { SendContent } from '../send-message.js';
import extras from '../composer/composer-extras.module.css';
import { fromLocalInput, laterChoices, laterProblem, toLocalInput, type LaterProblem } from './later-choices.js';
import { scheduleLater } from './scheduled-store.js';
import styles from './scheduled.module.css';

export function SendLater(props: {
  conversationId: string; windowClosesAt: number | null; disabled: boolean;
  /** A template: any time in the range, window or not. */
  template?: boolean;
  content: () => SendContent | null; replyToMessageId?: string; onScheduled: () => void;
}): ReactNode {
  const t = useT();
  const now = useNow(30_000);
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const customId = useId();
  const problemId = useId();
  useOutside(root, open, () => setOpen(false));

  const problemText = (p: LaterProblem): string | null => p === null ? null
    : p === 'after_window' ? (props.windowClosesAt === null ? t('scheduled.noWindow') : t('scheduled.afterWindow', { time: formatDateTime(props.windowClosesAt) }))
      : t(p === 'too_soon' ? 'scheduled.tooSoon' : 'scheduled.tooFar');
  const customAt = fromLocalInput(custom);
  const template = props.template ?? false;
  const customProblem = custom === '' ? null : laterProblem(customAt, now, props.windowClosesAt, template);

  const schedule = async (at: number) => {
    const content = props.content();
    if (!content || busy) return;
    setBusy(true);
    setFailure(null);
    const res = await scheduleLater(props.conversationId, content, at, props.replyToMessageId);
    setBusy(false);
    if (res.ok) {
      setOpen(false);
      setCustom('');
      props.onScheduled();
    } else setFailure(t('scheduled.failed', { message: res.error.message }));
  };

  return (
    <div className={extras.popoverRoot} ref={root} onKeyDown={(e) => { if (e.key === 'Escape' && open) { e.stopPropagation(); setOpen(false); } }}>
      <button type="button" className={extras.tool} aria-expanded={open} aria-haspopup="dialog" disabled={props.disabled}
        onClick={() => { setFailure(null); setOpen((o) => !o); }} aria-label={t('scheduled.later')} title={t('scheduled.later')} data-testid="send-later">
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round">
          <circle cx="8" cy="8" r="6.5" /><path d="M8 4.5V8l2.5 1.6" />
        </svg>
      </button>
      {open && (
        <div className={`${extras.popover} ${styles.dialog}`} role="dialog" aria-label={t('scheduled.pickTitle')} data-testid="send-later-dialog">
          <div className={styles.title}>{t('scheduled.pickTitle')}</div>
          <ul className={styles.choices}>
            {laterChoices(now, props.windowClosesAt, template).map((c) => (
              <li key={c.key}>
                <button type="button" className={styles.choice} disabled={c.problem !== null || busy} onClick={() => void schedule(c.at)}
                  title={problemText(c.problem) ?? undefined}>
                  <span>{t(`scheduled.${c.key}`)}</span>
                  <span className={styles.when}>{formatDateTime(c.at)}</span>
                </button>
              </li>
            ))}
          </ul>
          <label htmlFor={customId} className={styles.customLabel}>{t('scheduled.custom')}</label>
          <div className={styles.customRow}>
            <input id={customId} type="datetime-local" value={custom} min={toLocalInput(now)} onChange={(e) => setCustom(e.target.value)}
              aria-describedby={customProblem ? problemId : undefined} aria-invalid={customProblem ? true : undefined} />
            <button type="button" className={styles.schedule} disabled={custom === '' || customProblem !== null || busy} onClick={() => void schedule(customAt)}>
              {t('scheduled.schedule')}
            </button>
          </div>
          {customProblem && <div id={problemId} className={styles.problem}>{problemText(customProblem)}</div>}
          {!template && props.windowClosesAt !== null && <div className={styles.note}>{t('scheduled.windowNote', { time: formatDateTime(props.windowClosesAt) })}</div>}
          {failure && <div className={styles.problem} role="alert">{failure}</div>}
        </div>
      )}
    </div>
  );
}
