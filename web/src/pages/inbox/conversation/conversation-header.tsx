// The pane's header: who the customer is (name, number) and the service window — open with the
// time left, or closed (only templates may be sent then); below it the team row (actions/team-bar).

import type { ReactNode } from 'react';
import { formatDateTime, useT } from '../../../i18n/i18n.js';
import type { Conversation } from './conversation-store.js';
import { windowState } from './conversation-time.js';
import { TeamBar } from './actions/team-bar.js';
import { SlaBadge } from '../sla-badge.js';
import { ContactLanguage } from './contact-language.js';
import styles from './conversation-pane.module.css';
import { useNow } from '../../../ui/use-now.js';

/** Open when the server said so when it was read and the client's clock has not passed its end since. */
export function useWindow(c: Pick<Conversation, 'windowOpen' | 'windowExpiresAt'>) {
  const now = useNow();
  return c.windowOpen ? windowState(c.windowExpiresAt, now) : windowState(null, now);
}

export function WindowBadge(props: { conversation: Conversation }): ReactNode {
  const t = useT();
  const w = useWindow(props.conversation);
  const expires = props.conversation.windowExpiresAt;
  if (!w.open) return <span className={`${styles.window} ${styles.windowClosed}`} data-window="closed">{t('conversation.window.closed')}</span>;
  const soon = w.msLeft < 3_600_000;
  return (
    <span className={`${styles.window} ${soon ? styles.windowSoon : styles.windowOpen}`} data-window="open"
      title={expires ? t('conversation.window.until', { at: formatDateTime(expires) }) : undefined}>
      {t('conversation.window.open', { h: w.hours, m: w.minutes })}
    </span>
  );
}

export function ConversationHeader(props: { conversation: Conversation; onChange?: (c: Conversation) => void }): ReactNode {
  const t = useT();
  const c = props.conversation;
  const number = c.contact.e164 ?? `+${c.contact.waId}`;
  return (
    <>
    <header className={styles.header}>
      <div className={styles.who}>
        <h2 className={styles.name}>{c.contact.name ?? number}</h2>
        {c.contact.name && <span className={styles.number}>{number}</span>}
      </div>
      <ContactLanguage contactId={c.contactId} />
      <WindowBadge conversation={c} />
      <SlaBadge sla={c.sla} />
      <span className="visually-hidden">{t(`conversation.state.${c.state}`)}</span>
    </header>
    <TeamBar conversation={c} onChange={props.onChange ?? (() => undefined)} />
    </>
  );
}
