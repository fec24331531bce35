// One private note in the timeline: yellow, "Note" with its author and time, @mentions highlighted.

import type { ReactNode } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import type { Note } from './notes-store.js';
import styles from './notes.module.css';

function withMentions(note: Note): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of note.mentions) {
    if (m.start < at) continue;
    if (m.start > at) out.push(note.body.slice(at, m.start));
    out.push(<mark key={m.start} className={styles.mention} data-user-id={m.userId}>{note.body.slice(m.start, m.end)}</mark>);
    at = m.end;
  }
  if (at < note.body.length) out.push(note.body.slice(at));
  return out;
}

export function NoteItem(props: { note: Note }): ReactNode {
  const t = useT();
  const n = props.note;
  const time = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit' }).format(n.createdAt);
  return (
    <div className={styles.note} data-note-id={n.id} data-testid="note" role="note" aria-label={t('notes.label')}>
      <div className={styles.meta}>
        <span className={styles.badge}>{t('notes.badge')}</span>
        <span className={styles.author}>{n.authorName ?? t('notes.apiAuthor')}</span>
        <time dateTime={new Date(n.createdAt).toISOString()}>{time}</time>
      </div>
      <div className={styles.body}>{withMentions(n)}</div>
    </div>
  );
}
