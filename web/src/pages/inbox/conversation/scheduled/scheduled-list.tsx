// Above the composer: the conversation's messages waiting to be sent later (when, who scheduled it,
// what, Cancel) and those that could not go when their time came (why, Dismiss). The author is shown
// because a chat may change hands after the promise was made: its new operator sees whose it is.

import { useState, type ReactNode } from 'react';
import { previewOf } from '../../../../../../src/core/message-preview.js';
import { formatDateTime, useT } from '../../../../i18n/i18n.js';
import { useSession } from '../../../../session.js';
import { DENY_REASONS, denyReasonKey } from '../message-status.js';
import { cancelLater, useScheduled, type Scheduled } from './scheduled-store.js';
import styles from './scheduled.module.css';

const DENIED = new Set<string>(DENY_REASONS);
/** Errors of the send itself (not the policy) explained in the catalog; others show the server's words. */
const EXPLAINED = new Set(['conversation_assigned_to_other', 'media_not_usable', 'message_not_found']);

export function ScheduledList(props: { conversationId: string }): ReactNode {
  const t = useT();
  const items = useScheduled(props.conversationId);
  const session = useSession();
  const me = session.status === 'signed-in' ? session.user.id : null;
  const [problem, setProblem] = useState<string | null>(null);
  if (items.length === 0) return null;

  const why = (s: Scheduled): string => {
    const code = s.error?.code ?? '';
    if (DENIED.has(code)) return t(denyReasonKey(code));
    if (EXPLAINED.has(code)) return t(`scheduled.error.${code}`);
    return s.error?.message ?? code;
  };
  const what = (s: Scheduled): string => {
    const content = s.content as { type?: string; name?: string };
    if (content.type === 'template') return t('scheduled.template', { name: content.name ?? '' });
    return previewOf(content.type ?? '', content) ?? t(`scheduled.kind.${content.type === 'image' || content.type === 'video' || content.type === 'audio' || content.type === 'document' ? content.type : 'message'}`);
  };
  const author = (s: Scheduled): string => s.createdByUserId === null ? t('scheduled.byApi')
    : s.createdByUserId === me ? t('scheduled.byYou') : t('scheduled.by', { name: s.createdByName ?? '' });
  const cancel = async (s: Scheduled) => {
    setProblem(null);
    const res = await cancelLater(s);
    if (!res.ok) setProblem(res.error.code === 'scheduled_not_pending' ? t('scheduled.alreadyGone') : t('scheduled.cancelFailed', { message: res.error.message }));
  };

  return (
    <section className={styles.list} aria-label={t('scheduled.listLabel')} data-testid="scheduled-list">
      <ul>
        {items.map((s) => (
          <li key={s.id} className={`${styles.item} ${s.status === 'failed' ? styles.failed : ''}`} data-status={s.status} data-testid="scheduled-item">
            <svg className={styles.icon} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round">
              {s.status === 'failed' ? <path d="M8 2 14.5 13.5h-13zM8 6.5v3.2M8 11.6v.2" /> : <><circle cx="8" cy="8" r="6.5" /><path d="M8 4.5V8l2.5 1.6" /></>}
            </svg>
            <span className={styles.text}>
              <span className={styles.head}>
                {s.status === 'failed' ? t('scheduled.failedAt', { time: formatDateTime(s.sendAt) }) : t('scheduled.at', { time: formatDateTime(s.sendAt) })}
              </span>
              <span className={styles.author} data-testid="scheduled-author">{author(s)}</span>
              <span className={styles.preview}>{what(s)}</span>
              {s.status === 'failed' && <span className={styles.reason}>{why(s)}</span>}
            </span>
            <button type="button" className={styles.cancel} onClick={() => void cancel(s)}>
              {t(s.status === 'failed' ? 'scheduled.dismiss' : 'scheduled.cancel')}
            </button>
          </li>
        ))}
      </ul>
      {problem && <div className={styles.problem} role="alert">{problem}</div>}
    </section>
  );
}
