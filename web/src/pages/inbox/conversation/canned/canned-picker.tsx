// The composer's canned replies: "/" at the start of the box (or after a space) opens a list filtered
// as you type (↑/↓, Enter/Tab picks, Esc closes); a pick fills the contact's and the operator's values,
// asks the reply's questions first if it has any, and puts the text in the box to edit before sending.
// It listens on the composer's own text box (given by ref), so the composer mounts it with one line.

import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import { useSession } from '../../../../session.js';
import {
  listCanned, previewOf, rankCannedReplies, readContact, renderCannedText, type CannedReply, type CannedValues,
} from '../../../settings/canned-replies/canned-api.js';
import type { Conversation } from '../conversation-store.js';
import styles from '../../../settings/canned-replies/canned.module.css';

/** The "/query" just before the caret, when it starts the text or follows whitespace. */
export function slashQueryAt(value: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)\/([A-Za-z0-9_-]*)$/.exec(value.slice(0, caret));
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]! };
}

type Loaded = { status: 'idle' | 'loading' | 'error' } | { status: 'ready'; replies: CannedReply[] };
interface Token { start: number; end: number; query: string }

export function CannedPicker(props: { box: RefObject<HTMLTextAreaElement | null>; conversation: Conversation; onText: (value: string, caret: number) => void }) {
  const t = useT();
  const session = useSession();
  const agentName = session.status === 'signed-in' ? session.user.name : '';
  const listId = useId();
  const root = useRef<HTMLDivElement>(null);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'idle' });
  const [token, setToken] = useState<Token | null>(null);
  const [index, setIndex] = useState(0);
  const [asking, setAsking] = useState<{ reply: CannedReply; token: Token; answers: Record<string, string> } | null>(null);
  const matches = loaded.status === 'ready' && token ? rankCannedReplies(loaded.replies, token.query).slice(0, 8) : [];
  const state = useRef({ token, matches, index });
  state.current = { token, matches, index };

  const load = () => {
    if (loaded.status === 'loading' || loaded.status === 'ready') return;
    setLoaded({ status: 'loading' });
    void listCanned().then((res) => setLoaded(res.ok ? { status: 'ready', replies: res.data.items } : { status: 'error' }));
  };

  const valuesFor = async (reply: CannedReply): Promise<CannedValues> => {
    const c = props.conversation.contact;
    let attributes: Record<string, unknown> = {};
    if (reply.variables.some((v) => v.startsWith('contact.attributes.'))) {
      const res = await readContact(props.conversation.contactId);
      if (res.ok) attributes = res.data.attributes;
    }
    return { contact: { name: c.name, phone: c.e164 ?? (c.waId ? `+${c.waId}` : null), attributes }, agent: { name: agentName } };
  };

  const insert = async (reply: CannedReply, at: Token, prompts: Record<string, string>) => {
    const box = props.box.current;
    if (!box) return;
    const text = renderCannedText(reply.body, { ...(await valuesFor(reply)), prompts });
    const value = box.value.slice(0, at.start) + text + box.value.slice(at.end);
    setToken(null);
    setAsking(null);
    props.onText(value, at.start + text.length);
  };

  const pick = (reply: CannedReply) => {
    const at = state.current.token;
    if (!at) return;
    if (reply.prompts.length > 0) setAsking({ reply, token: at, answers: Object.fromEntries(reply.prompts.map((p) => [p, ''])) });
    else void insert(reply, at, {});
    setToken(null);
  };
  const pickRef = useRef(pick);
  pickRef.current = pick;

  useEffect(() => {
    const box = props.box.current;
    if (!box) return;
    const track = () => {
      const found = slashQueryAt(box.value, box.selectionStart);
      setToken((old) => {
        if (!found) return null;
        if (!old || old.query !== found.query) setIndex(0);
        return { start: found.start, end: box.selectionStart, query: found.query };
      });
      if (found) load();
    };
    const keydown = (e: KeyboardEvent) => {
      const { token: open, matches: list, index: at } = state.current;
      if (!open || e.isComposing) return;
      const handled = () => { e.preventDefault(); e.stopPropagation(); };
      if (e.key === 'Escape') { handled(); setToken(null); }
      else if (list.length === 0) return;
      else if (e.key === 'ArrowDown') { handled(); setIndex((at + 1) % list.length); }
      else if (e.key === 'ArrowUp') { handled(); setIndex((at - 1 + list.length) % list.length); }
      else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') { handled(); pickRef.current(list[Math.min(at, list.length - 1)]!); }
    };
    const keyup = (e: KeyboardEvent) => { if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') track(); };
    const blur = (e: FocusEvent) => { if (!root.current?.contains(e.relatedTarget as Node | null)) setToken(null); };
    box.addEventListener('input', track);
    box.addEventListener('click', track);
    box.addEventListener('keyup', keyup);
    box.addEventListener('keydown', keydown);
    box.addEventListener('blur', blur);
    return () => {
      box.removeEventListener('input', track);
      box.removeEventListener('click', track);
      box.removeEventListener('keyup', keyup);
      box.removeEventListener('keydown', keydown);
      box.removeEventListener('blur', blur);
    };
  }, [props.box]); // eslint-disable-line react-hooks/exhaustive-deps

  // The text box points at the highlighted option for screen readers.
  const activeId = token && matches.length > 0 ? `${listId}-${Math.min(index, matches.length - 1)}` : null;
  useEffect(() => {
    const box = props.box.current;
    if (!box) return;
    if (activeId) { box.setAttribute('aria-activedescendant', activeId); box.setAttribute('aria-controls', listId); }
    else { box.removeAttribute('aria-activedescendant'); box.removeAttribute('aria-controls'); }
  }, [activeId, listId, props.box]);

  // Over the text box, as wide as it (measured: the composer's layout belongs to the composer).
  const r = props.box.current?.getBoundingClientRect();
  const place = r ? { left: r.left, width: Math.max(r.width, 260), bottom: window.innerHeight - r.top + 6 } : undefined;
  if (asking) return <div ref={root} className={styles.anchor}><PromptsForm place={place} asking={asking} onChange={setAsking} onInsert={() => void insert(asking.reply, asking.token, asking.answers)} onCancel={() => { setAsking(null); props.box.current?.focus(); }} /></div>;
  if (!token) return <div ref={root} className={styles.anchor} />;
  const sample = { contact: { name: props.conversation.contact.name, phone: props.conversation.contact.e164 }, agent: { name: agentName } };
  return (
    <div ref={root} className={styles.anchor}>
      <div className={styles.picker} style={place} data-testid="canned-picker">
        {loaded.status === 'loading' || loaded.status === 'idle' ? <div className={styles.pickerNote} role="status">{t('canned.picker.loading')}</div>
          : loaded.status === 'error' ? <div className={styles.pickerNote} role="alert">{t('canned.picker.failed')}</div>
          : matches.length === 0 ? <div className={styles.pickerNote} role="status">{t('canned.picker.empty', { query: token.query })}</div>
          : (
            <ul className={styles.pickerList} role="listbox" id={listId} aria-label={t('canned.picker.label')}>
              {matches.map((reply, i) => (
                <li key={reply.id} id={`${listId}-${i}`} role="option" aria-selected={i === index} className={styles.option}
                  onMouseDown={(e) => e.preventDefault()} onMouseEnter={() => setIndex(i)} onClick={() => pick(reply)}>
                  <span className={styles.optionHead}><span className={styles.shortcut}>/{reply.shortcut}</span><span>{reply.title}</span></span>
                  <span className={styles.optionPreview}>{previewOf(reply.body, sample)}</span>
                </li>
              ))}
            </ul>
          )}
        <div className={styles.pickerHint} aria-hidden="true">{t('canned.picker.hint')}</div>
      </div>
    </div>
  );
}

type Asking = { reply: CannedReply; token: Token; answers: Record<string, string> };

/** The reply's questions ({{?Order number}}), asked before inserting. Not a <form>: it sits inside the composer's. */
function PromptsForm(props: { place: CSSProperties | undefined; asking: Asking; onChange: (a: Asking) => void; onInsert: () => void; onCancel: () => void }) {
  const t = useT();
  const first = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const baseId = useId();
  useEffect(() => { first.current?.focus(); }, []);
  const { reply, answers } = props.asking;
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Enter') { e.preventDefault(); e.stopPropagation(); props.onInsert(); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); props.onCancel(); }
  };
  return (
    <div className={`${styles.picker} ${styles.prompts}`} style={props.place} role="group" aria-labelledby={headingId} data-testid="canned-prompts" onKeyDown={onKeyDown}>
      <h3 id={headingId}>{t('canned.prompts.title', { shortcut: reply.shortcut })}</h3>
      {reply.prompts.map((label, i) => (
        <div key={label} className={styles.bodyField}>
          <label htmlFor={`${baseId}-${i}`}>{label}</label>
          <input ref={i === 0 ? first : undefined} id={`${baseId}-${i}`} value={answers[label] ?? ''} autoComplete="off"
            onChange={(e) => props.onChange({ ...props.asking, answers: { ...answers, [label]: e.target.value } })} />
        </div>
      ))}
      <div className={styles.promptActions}>
        <button type="button" className={styles.chip} onClick={props.onCancel}>{t('canned.prompts.cancel')}</button>
        <button type="button" className={styles.chip} onClick={props.onInsert} data-testid="canned-prompts-insert">{t('canned.prompts.insert')}</button>
      </div>
    </div>
  );
}
