// Search results in place of the conversation list: messages (contact, the preview with the matched
// words highlighted as React elements, relative time) and contacts (opens their latest conversation).

import { useState } from 'react';
import { formatRelative, useT } from '../../../i18n/i18n.js';
import { navigate } from '../../../router.js';
import { EmptyState, Notice, Spinner } from '../../../ui/ui.js';
import { highlightParts } from './highlight.js';
import { latestConversationOf, loadOlder, retrySearch, useSearch, type ContactHit, type MessageHit } from './search-store.js';
import styles from './search.module.css';

type Person = MessageHit['contact'];

function contactName(c: Person): string {
  return c.name || (c.e164 ? c.e164 : `+${c.waId}`);
}

function Highlighted(props: { text: string; terms: string[] }) {
  return <>{highlightParts(props.text, props.terms).map((p, i) => (p.hit ? <mark key={i} className={styles.mark}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

function MessageRow(props: { m: MessageHit; terms: string[]; selected: boolean; now: number }) {
  const t = useT();
  const { m } = props;
  return (
    <li>
      <button
        type="button" className={`${styles.result} ${props.selected ? styles.selected : ''}`} data-message-id={m.id} data-conversation-id={m.conversationId}
        aria-current={props.selected ? 'true' : undefined} onClick={() => navigate(`/inbox/${encodeURIComponent(m.conversationId)}`)}
      >
        <span className={styles.name}><Highlighted text={contactName(m.contact)} terms={props.terms} /></span>
        <span className={styles.time}>{formatRelative(m.createdAt, props.now)}</span>
        <span className={styles.preview}>
          {m.direction === 'out' && `${t('search.you')}: `}
          {m.preview ? <Highlighted text={m.preview} terms={props.terms} /> : t('search.noText')}
        </span>
      </button>
    </li>
  );
}

function ContactRow(props: { c: ContactHit; terms: string[]; now: number }) {
  const t = useT();
  const { c } = props;
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    setProblem(null);
    const res = await latestConversationOf(c.id);
    setBusy(false);
    if (!res.ok) setProblem(t('search.openFailed', { message: res.message }));
    else if (res.id === null) setProblem(t('search.noConversation'));
    else navigate(`/inbox/${encodeURIComponent(res.id)}`);
  };
  const number = c.e164 ?? `+${c.waId}`;
  return (
    <li>
      <button type="button" className={styles.result} data-contact-id={c.id} aria-busy={busy} onClick={() => void open()}>
        <span className={styles.name}>{c.name ? <Highlighted text={c.name} terms={props.terms} /> : number}</span>
        <span className={styles.time}>{c.lastInboundAt ? t('search.lastWrote', { time: formatRelative(c.lastInboundAt, props.now) }) : t('search.neverWrote')}</span>
        <span className={styles.preview}>{c.name ? <Highlighted text={number} terms={props.terms} /> : null}</span>
      </button>
      {problem && <p className={styles.problem} role="status">{problem}</p>}
    </li>
  );
}

export function SearchResults(props: { selectedId: string | null }) {
  const t = useT();
  const s = useSearch();
  const now = Date.now();

  if (s.status === 'loading') return <Spinner label={t('search.loading')} />;
  if (s.status === 'hint') return <div className={styles.results}><Notice kind="info">{t('search.hint')}</Notice></div>;
  if (s.status === 'error') {
    return (
      <div className={styles.results}>
        <Notice kind="error">{t('search.failed', { message: s.error || t('search.offline') })}</Notice>
        <button type="button" className={styles.more} onClick={retrySearch}>{t('search.retry')}</button>
      </div>
    );
  }
  if (s.messages.length === 0 && s.contacts.length === 0) {
    return <EmptyState title={t('search.empty.title', { query: s.query.trim() })} text={t('search.empty.text')} />;
  }
  return (
    <div className={styles.results} aria-label={t('search.results')} role="region">
      {s.contacts.length > 0 && (
        <section aria-labelledby="search-contacts">
          <h2 id="search-contacts" className={styles.heading}>{t('search.contacts')}</h2>
          <ul className={styles.list}>{s.contacts.map((c) => <ContactRow key={c.id} c={c} terms={s.terms} now={now} />)}</ul>
        </section>
      )}
      {s.messages.length > 0 && (
        <section aria-labelledby="search-messages">
          <h2 id="search-messages" className={styles.heading}>{t('search.messages')}</h2>
          <ul className={styles.list}>
            {s.messages.map((m) => <MessageRow key={m.id} m={m} terms={s.terms} selected={m.conversationId === props.selectedId} now={now} />)}
          </ul>
          {s.error !== null && <Notice kind="error">{t('search.failed', { message: s.error || t('search.offline') })}</Notice>}
          {s.hasOlder && (
            <button type="button" className={styles.more} disabled={s.loadingOlder} onClick={() => void loadOlder()}>
              {s.loadingOlder ? t('search.loadingOlder') : t('search.older')}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
