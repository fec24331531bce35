// The composer's note mode: a yellow box whose text goes to the team only (POST …/notes), never to the
// customer; "@" opens a people picker (GET /users) that inserts "@Name"; Enter adds the note.
// The Reply / Note toggle above the box lives here too (the pane may switch it with setComposerMode).

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { api } from '../../../../api/client.js';
import { useT } from '../../../../i18n/i18n.js';
import { usePlaceCaret } from '../../../../ui/use-caret.js';
import composerStyles from '../composer.module.css';
import { setComposerMode, useComposerMode, writeNote } from './notes-store.js';
import styles from './notes.module.css';

interface Person { id: string; name: string }
let people: Promise<Person[]> | null = null;

function loadPeople(): Promise<Person[]> {
  people ??= api.GET('/users').then((res) => (res.data?.items ?? []).filter((u) => !u.disabled).map((u) => ({ id: u.id, name: u.name })))
    .catch(() => { people = null; return []; });
  return people;
}

/** The "@query" being typed just before the caret, if any. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|[^\p{L}\p{N}_])@([^\s@]{0,30})$/u.exec(text.slice(0, caret));
  return m ? { start: caret - m[2]!.length - 1, query: m[2]! } : null;
}

export function ComposerModeToggle(props: { conversationId: string }): ReactNode {
  const t = useT();
  const mode = useComposerMode(props.conversationId);
  return (
    <div className={styles.modes} role="group" aria-label={t('notes.modeLabel')}>
      <button type="button" className={styles.mode} aria-pressed={mode === 'reply'} onClick={() => setComposerMode(props.conversationId, 'reply')}>{t('notes.modeReply')}</button>
      <button type="button" className={styles.mode} aria-pressed={mode === 'note'} onClick={() => setComposerMode(props.conversationId, 'note')}>{t('notes.modeNote')}</button>
    </div>
  );
}

export function NoteComposer(props: { conversationId: string }): ReactNode {
  const t = useT();
  const id = props.conversationId;
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [all, setAll] = useState<Person[]>([]);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const placeCaret = usePlaceCaret(box, text);

  useEffect(() => { void loadPeople().then(setAll); }, []);
  useEffect(() => { setText(''); setProblem(null); box.current?.focus(); }, [id]);

  const query = mentionQuery(text, caret);
  const matches = useMemo(() => {
    if (!query) return [];
    const q = query.query.toLocaleLowerCase();
    return all.filter((p) => p.name.toLocaleLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || p.name.toLocaleLowerCase().startsWith(q)).slice(0, 8);
  }, [query?.query, query === null, all]);
  useEffect(() => setActive(0), [query?.query]);

  const pick = (p: Person) => {
    if (!query) return;
    const next = `${text.slice(0, query.start)}@${p.name} ${text.slice(caret)}`;
    const at = query.start + p.name.length + 2;
    placeCaret(at);
    setText(next);
    setCaret(at);
  };

  const save = async () => {
    if (text.trim() === '' || saving) return;
    setSaving(true);
    const result = await writeNote(id, text);
    setSaving(false);
    if (result.ok) { setText(''); setCaret(0); setProblem(null); } else setProblem(t('notes.failed', { message: result.message }));
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (matches.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(matches[active] ?? matches[0]!);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') setComposerMode(id, 'reply');
  };

  return (
    <form className={`${composerStyles.composer} ${styles.noteMode}`} aria-label={t('notes.composerLabel')} data-testid="note-composer"
      onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <ComposerModeToggle conversationId={id} />
      {problem && <div className={composerStyles.problem} role="alert">{problem}</div>}
      {matches.length > 0 && (
        <ul className={styles.people} role="listbox" aria-label={t('notes.people')}>
          {matches.map((p, i) => (
            <li key={p.id} role="option" aria-selected={i === active} className={styles.person}
              onMouseDown={(e) => e.preventDefault()} onClick={() => pick(p)}>{p.name}</li>
          ))}
        </ul>
      )}
      <div className={composerStyles.row}>
        <textarea ref={box} className={composerStyles.input} value={text} rows={Math.min(6, Math.max(1, text.split('\n').length))}
          placeholder={t('notes.placeholder')} aria-label={t('notes.placeholder')} maxLength={4096}
          onChange={(e) => { setText(e.target.value); setCaret(e.target.selectionStart); }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)} onKeyDown={onKeyDown} />
        <button type="submit" className={composerStyles.send} disabled={saving || text.trim() === ''}>
          {t(saving ? 'notes.adding' : 'notes.add')}
        </button>
      </div>
      <div className={composerStyles.hint}>{t('notes.hint')}</div>
    </form>
  );
}
