// The conversation list: own windowing (fixed row height, only visible rows rendered, so 10k
// rows scroll), j/k or ↑/↓ (by event.code: any keyboard layout) to move, Enter to open.

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type UIEvent } from 'react';
import { formatRelative, plural, useT } from '../../i18n/i18n.js';
import { navigate } from '../../router.js';
import { EmptyState, Notice, Spinner } from '../../ui/ui.js';
import { loadMore, type ConversationItem, type ListState } from './list-store.js';
import { SlaBadge } from './sla-badge.js';
import styles from './inbox.module.css';
import { useNow } from '../../ui/use-now.js';

export const ROW_HEIGHT = 72;
const OVERSCAN = 6;

/** The rows [first, last) to render for a scroll position. */
export function visibleRange(scrollTop: number, viewport: number, count: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  return [first, last];
}

export function contactLabel(c: ConversationItem): string {
  return c.contact.name || (c.contact.e164 ? c.contact.e164 : `+${c.contact.waId}`);
}


function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function Row(props: { c: ConversationItem; index: number; count: number; active: boolean; selected: boolean; now: number; onOpen: () => void }) {
  const t = useT();
  const { c } = props;
  const preview = c.lastMessage ? (c.lastMessage.preview ?? t(`inbox.type.${c.lastMessage.type}`)) : t('inbox.noMessages');
  const mine = c.lastMessage?.direction === 'out' ? `${t('inbox.you')}: ` : '';
  return (
    <div
      id={`conv-${c.id}`} role="option" aria-selected={props.selected} aria-posinset={props.index + 1} aria-setsize={props.count}
      className={`${styles.row} ${props.active ? styles.rowActive : ''} ${props.selected ? styles.rowSelected : ''}`}
      ref={(el) => { if (el) el.style.transform = `translateY(${props.index * ROW_HEIGHT}px)`; }}
      onClick={props.onOpen} data-conversation-id={c.id}
    >
      <span className={`${styles.name} ${c.unreadCount > 0 ? styles.unreadName : ''}`}>{contactLabel(c)}</span>
      <span className={styles.time}>{formatRelative(c.lastMessage?.createdAt ?? c.lastMessageAt, props.now)}</span>
      <span className={styles.preview}>{mine}{preview}</span>
      {c.unreadCount > 0
        ? <span className={styles.badge} aria-label={plural('inbox.unread', c.unreadCount)}>{c.unreadCount >= 100 ? '99+' : c.unreadCount}</span>
        : <span />}
      <span className={styles.meta}>
        <SlaBadge sla={c.sla} now={props.now} />
        <span className={c.windowOpen ? styles.windowOpen : styles.windowClosed}>{c.windowOpen ? t('inbox.windowOpen') : t('inbox.windowClosed')}</span>
        <span>·</span>
        <span data-testid="row-assignee">{c.assignee ? c.assignee.name : t('inbox.unassigned')}</span>
        {c.priority && c.priority !== 'none' && <><span>·</span><span data-priority={c.priority} className={c.priority === 'urgent' || c.priority === 'high' ? styles.unreadName : undefined}>{t(`team.priority.${c.priority}`)}</span></>}
      </span>
    </div>
  );
}

export function ConversationList(props: { list: ListState; selectedId: string | null; onRetry: () => void }) {
  const t = useT();
  const now = useNow(30_000);
  const { items } = props.list;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    return () => observer.disconnect();
  }, [props.list.status]);

  useEffect(() => {
    const i = items.findIndex((c) => c.id === props.selectedId);
    if (i >= 0) setActive(i);
  }, [props.selectedId, items]);

  const open = useCallback((c: ConversationItem | undefined) => { if (c) navigate(`/inbox/${encodeURIComponent(c.id)}`); }, []);

  const move = useCallback((delta: number) => {
    setActive((i) => {
      const next = Math.max(0, Math.min(items.length - 1, i + delta));
      const el = scroller.current;
      if (el) {
        const top = next * ROW_HEIGHT;
        if (top < el.scrollTop) el.scrollTop = top;
        else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
      }
      return next;
    });
  }, [items.length]);

  // j/k anywhere on the page (not while typing); arrows and Enter when the list has focus.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.code === 'KeyJ' || e.code === 'KeyK') {
        e.preventDefault();
        const delta = e.code === 'KeyJ' ? 1 : -1;
        const next = Math.max(0, Math.min(items.length - 1, active + delta));
        move(delta);
        open(items[next]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, active, move, open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.code === 'ArrowDown') { e.preventDefault(); move(1); }
    else if (e.code === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (e.code === 'Enter' || e.code === 'NumpadEnter') { e.preventDefault(); open(items[active]); }
  };

  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    setScrollTop(el.scrollTop);
    if (el.scrollTop + el.clientHeight > el.scrollHeight - ROW_HEIGHT * 10) void loadMore();
  };

  if (props.list.status === 'loading') return <Spinner label={t('inbox.loading')} />;
  if (props.list.status === 'error') {
    return (
      <div className={styles.scroller}>
        <Notice kind="error">{t('inbox.loadFailed', { message: props.list.error ?? '' })}</Notice>
        <button type="button" onClick={props.onRetry}>{t('inbox.retry')}</button>
      </div>
    );
  }
  if (items.length === 0) return <EmptyState title={t('inbox.empty.title')} text={t('inbox.empty.text')} />;

  const [first, last] = visibleRange(scrollTop, viewport, items.length);
  const activeItem = items[Math.min(active, items.length - 1)];
  return (
    <div
      ref={scroller} className={styles.scroller} tabIndex={0} role="listbox" aria-label={t('inbox.list')}
      aria-activedescendant={activeItem ? `conv-${activeItem.id}` : undefined} onKeyDown={onKeyDown} onScroll={onScroll}
    >
      <div className={styles.spacer} ref={(el) => { if (el) el.style.height = `${items.length * ROW_HEIGHT}px`; }}>
        {items.slice(first, last).map((c, k) => (
          <Row key={c.id} c={c} index={first + k} count={items.length} active={first + k === active} selected={c.id === props.selectedId} now={now} onOpen={() => open(c)} />
        ))}
      </div>
    </div>
  );
}
