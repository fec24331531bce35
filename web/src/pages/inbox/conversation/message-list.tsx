// The message list: oldest at the top, day separators, older pages loaded when scrolled to the top
// (the view stays where it was), kept at the bottom while new messages arrive if it was there.

import { useCallback, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { Message } from './conversation-store.js';
import { dayLabel, withDaySeparators } from './conversation-time.js';
import { MessageBubble } from './message-bubble.js';
import { reactionsByTarget } from './message-reactions.js';
import { NoteItem } from './notes/note-item.js';
import { useNotes, type Note } from './notes/notes-store.js';
import styles from './conversation-pane.module.css';
import bubbleStyles from './message-bubble.module.css';

function DaySeparator(props: { at: number }): ReactNode {
  const t = useT();
  const label = dayLabel(props.at, Date.now());
  const text = label.kind === 'date'
    ? new Intl.DateTimeFormat(document.documentElement.lang || undefined, { day: 'numeric', month: 'long', year: 'numeric' }).format(label.ms)
    : t(`conversation.day.${label.kind}`);
  return <div className={styles.day} role="separator"><span>{text}</span></div>;
}

/** The first message row visible at the top of the list and its distance from the list's top edge. */
interface Anchor { id: string; offset: number }

function topAnchor(el: HTMLElement): Anchor | null {
  const top = el.getBoundingClientRect().top;
  for (const row of el.querySelectorAll<HTMLElement>('[data-message-id]')) {
    const r = row.getBoundingClientRect();
    if (r.bottom > top) return { id: row.dataset.messageId!, offset: r.top - top };
  }
  return null;
}

export function MessageList(props: { messages: Message[]; hasOlder: boolean; loadingOlder: boolean; onLoadOlder: () => void }): ReactNode {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  // Where the view is: at the bottom (follow new messages), or on a message kept in place while
  // older pages and late media change the height above it (the list sets overflow-anchor: none).
  // `restored`: the scrollTop our own restore set, so the scroll event it causes keeps the anchor
  // rather than taking a new one from a layout that may have moved again since (media decoding).
  const view = useRef<{ started: boolean; lastId: string | undefined; atBottom: boolean; anchor: Anchor | null; scrollTop: number; restored: number | null }>({ started: false, lastId: undefined, atBottom: true, anchor: null, scrollTop: 0, restored: null });
  const { messages, hasOlder, loadingOlder, onLoadOlder } = props;
  const [olderFailed, setOlderFailed] = useState(false);
  const attempt = useRef<{ firstId: string | undefined } | null>(null);

  const reactions = useMemo(() => reactionsByTarget(messages), [messages]);
  const byId = useMemo(() => new Map(messages.map((m) => [m.id, m])), [messages]);
  const byWamid = useMemo(() => new Map(messages.filter((m) => m.wamid).map((m) => [m.wamid!, m])), [messages]);
  const visible = useMemo(() => messages.filter((m) => m.type !== 'reaction' || (!m.replyToMessageId && !reactionTargetLoaded(m, byWamid))), [messages, byWamid]);
  // Private notes (N) sit among the messages by time.
  const notes = useNotes(messages[0]?.conversationId);
  const items = useMemo(() => withDaySeparators<Message | Note>([...visible, ...notes].sort((a, b) => a.createdAt - b.createdAt)), [visible, notes]);

  /** Puts the view back: at the bottom, or the anchor message at its old offset. */
  const restore = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const v = view.current;
    if (v.atBottom || !v.anchor) {
      if (v.atBottom) {
        el.scrollTop = el.scrollHeight;
        v.restored = el.scrollTop;
      }
      return;
    }
    const row = el.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(v.anchor.id)}"]`);
    if (!row) return;
    const delta = row.getBoundingClientRect().top - el.getBoundingClientRect().top - v.anchor.offset;
    if (Math.abs(delta) >= 1) {
      el.scrollTop += delta;
      v.restored = el.scrollTop;
    }
  }, []);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const v = view.current;
    const last = visible[visible.length - 1];
    if (!v.started) {
      if (visible.length === 0) return;
      v.started = true;
      v.atBottom = true;
    } else if (last?.id !== v.lastId && last?.direction === 'out') v.atBottom = true; // our own message: show it
    v.lastId = last?.id;
    restore();
    if (!v.atBottom) v.anchor = topAnchor(el);
  }, [visible, restore]);

  // The composer grows and shrinks, media arrive after their message: the view stays where it was.
  // A row that changes by itself (a document's size line after its HEAD request, 10 px; a sticker
  // that did not decode; a tick) moves what is below it in React's commit, but the ResizeObserver
  // puts the view back only at the next frame: until then every script that reads the layout sees
  // the list shifted (and a test that measured then saw a drift of 10 px that never reached the
  // screen). The MutationObserver restores in the microtask right after that commit, before any
  // other task runs, unless the list was scrolled since we last saw it: then its scroll event, not
  // the old anchor, says where the operator is.
  useLayoutEffect(() => {
    const el = box.current;
    const content = inner.current;
    if (!el || !content || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(restore);
    observer.observe(el);
    observer.observe(content);
    const mutations = new MutationObserver(() => {
      const v = view.current;
      if (Math.abs(el.scrollTop - (v.restored ?? v.scrollTop)) < 1) restore();
    });
    mutations.observe(content, { childList: true, subtree: true, characterData: true, attributes: true });
    return () => {
      observer.disconnect();
      mutations.disconnect();
    };
  }, [restore]);

  // A page that failed leaves the oldest message as it was: say so, with a retry.
  useLayoutEffect(() => {
    if (loadingOlder) attempt.current = { firstId: visible[0]?.id };
    else if (attempt.current) {
      setOlderFailed(hasOlder && attempt.current.firstId === visible[0]?.id);
      attempt.current = null;
    }
  }, [loadingOlder, hasOlder, visible]);

  const loadOlder = useCallback(() => {
    setOlderFailed(false);
    onLoadOlder();
  }, [onLoadOlder]);

  const onScroll = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const v = view.current;
    if (v.restored !== null && Math.abs(el.scrollTop - v.restored) < 1) {
      // The scroll our restore made: the anchor stays, and is applied again to what moved since.
      v.restored = null;
      v.scrollTop = el.scrollTop;
      restore();
      return;
    }
    v.restored = null;
    v.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    v.anchor = v.atBottom ? null : topAnchor(el);
    // Only a move up reaches for older messages: a scroll event from layout (the list filling in at
    // the top before it is put at the bottom) is not the operator asking for them.
    const movedUp = el.scrollTop < v.scrollTop;
    v.scrollTop = el.scrollTop;
    if (movedUp && el.scrollTop < 80 && hasOlder && !loadingOlder && !olderFailed) onLoadOlder();
  }, [hasOlder, loadingOlder, olderFailed, onLoadOlder, restore]);

  const jump = useCallback((id: string) => {
    const row = box.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);
    if (!row) return;
    row.scrollIntoView({ block: 'center', behavior: 'smooth' });
    row.classList.remove(bubbleStyles.flash ?? 'flash');
    void row.offsetWidth;
    row.classList.add(bubbleStyles.flash ?? 'flash');
  }, []);

  return (
    <div ref={box} className={styles.messages} style={{ overflowAnchor: 'none' }} onScroll={onScroll} role="log" aria-live="polite" aria-label={t('conversation.messages')} tabIndex={0}>
      <div ref={inner} className={styles.messagesInner}>
        {hasOlder && olderFailed && (
          <div className={styles.older} role="alert">
            {t('composer.olderFailed')}{' '}
            <button type="button" onClick={loadOlder}>{t('conversation.retry')}</button>
          </div>
        )}
        {hasOlder && !olderFailed && (
          <div className={styles.older}>
            <button type="button" onClick={loadOlder} disabled={loadingOlder}>{t(loadingOlder ? 'conversation.loadingOlder' : 'conversation.loadOlder')}</button>
          </div>
        )}
        {!hasOlder && visible.length > 0 && <div className={styles.start}>{t('conversation.start')}</div>}
        {visible.length === 0 && <div className={styles.empty}>{t('conversation.noMessages')}</div>}
        {items.map((item) => ('day' in item
          ? <DaySeparator key={`d${item.day}`} at={item.at} />
          : 'authorName' in item.message ? <NoteItem key={item.message.id} note={item.message} />
          : <MessageBubble key={item.message.id} message={item.message} quoted={quotedOf(item.message, byId, byWamid)}
            reactions={reactions.get(item.message.id) ?? []} onJump={jump} />))}
      </div>
    </div>
  );
}

function reactionTargetLoaded(m: Message, byWamid: Map<string, Message>): boolean {
  const c = (m.content ?? {}) as { targetWamid?: unknown; messageWamid?: unknown };
  const wamid = typeof c.targetWamid === 'string' ? c.targetWamid : typeof c.messageWamid === 'string' ? c.messageWamid : null;
  return wamid !== null && byWamid.has(wamid);
}

function quotedOf(m: Message, byId: Map<string, Message>, byWamid: Map<string, Message>): Message | undefined {
  return (m.replyToMessageId ? byId.get(m.replyToMessageId) : undefined) ?? (m.replyToWamid ? byWamid.get(m.replyToWamid) : undefined);
}
