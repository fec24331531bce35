// The third pane of the inbox (contract 7): one conversation — header with the service window, the
// messages, the composer — kept current by live events, with read receipts sent while it is seen.

import { useCallback, useEffect, useRef, type JSX } from 'react';
import { api } from '../../../api/client.js';
import { useT } from '../../../i18n/i18n.js';
import { sendLive, subscribeLive, type LiveMessage } from '../../../live/socket.js';
import { EmptyState, Notice, Spinner } from '../../../ui/ui.js';
import { Composer } from './composer.js';
import { ConversationHeader, useWindow } from './conversation-header.js';
import { ReplyLock, useReplyLocked } from './actions/collision.js';
import { useComposerMode } from './notes/notes-store.js';
import { useConversationStore, type ConversationStore, type Message, type PaneState } from './conversation-store.js';
import { MessageList } from './message-list.js';
import { CsatStatus } from './csat/csat-status.js';
import styles from './conversation-pane.module.css';

const seen = (): boolean => document.visibilityState === 'visible' && document.hasFocus();

/** The newest customer message: what a read receipt marks (with every earlier one). */
function newestInbound(messages: readonly Message[]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.direction === 'in') return messages[i];
  return undefined;
}

/**
 * POST …/read while the conversation is open and the tab visible and focused: on opening, when a
 * new customer message arrives, and when the tab comes back into view.
 */
function useReadReceipts(store: ConversationStore, state: PaneState): void {
  const marked = useRef<string | null>(null);
  const newest = newestInbound(state.messages);
  const unread = state.conversation ? state.conversation.unreadCount > 0 || (newest !== undefined && (state.conversation.lastReadAt ?? 0) < newest.createdAt) : false;
  const target = state.conversation && newest && unread ? newest.id : null;

  const mark = useCallback(async () => {
    if (!target || marked.current === target || !seen()) return;
    marked.current = target;
    const res = await api.POST('/conversations/{id}/read', { params: { path: { id: store.conversationId } } });
    if (res.data) store.setConversation(res.data.conversation);
    else marked.current = null;
  }, [store, target]);

  useEffect(() => {
    void mark();
    const again = () => { void mark(); };
    document.addEventListener('visibilitychange', again);
    window.addEventListener('focus', again);
    return () => {
      document.removeEventListener('visibilitychange', again);
      window.removeEventListener('focus', again);
    };
  }, [mark]);
}

/** New and changed messages of this conversation from the live socket (and its resync after a reconnect). */
function useLiveUpdates(store: ConversationStore): void {
  useEffect(() => {
    const id = store.conversationId;
    sendLive({ type: 'viewing', conversationId: id });
    const off = subscribeLive((event: LiveMessage) => {
      if (event.kind === 'resync') {
        for (const m of event.changes.messages) if (m.conversationId === id) store.upsert(m as unknown as Message);
        if (event.changes.conversations.some((c) => c.id === id)) void store.refreshConversation();
        return;
      }
      if (!('conversationId' in event) || event.conversationId !== id) return;
      if (event.kind === 'message.created' || event.kind === 'message.updated') {
        const messageId = typeof event.messageId === 'string' ? event.messageId : null;
        void (messageId ? store.refreshMessage(messageId) : store.refreshNewest().then(() => null)).then((m) => {
          if (!m || m.direction === 'in') void store.refreshConversation();
        });
      } else if (event.kind === 'conversation.updated') {
        void store.refreshConversation();
      }
    });
    return () => {
      off();
      sendLive({ type: 'viewing', conversationId: null });
    };
  }, [store]);
}

function Loaded(props: { store: ConversationStore; state: PaneState }): JSX.Element {
  const { store, state } = props;
  const conversation = state.conversation!;
  const window = useWindow(conversation);
  const onSent = useCallback((m: Message) => store.upsert(m), [store]);
  const loadOlder = useCallback(() => { void store.loadOlder(); }, [store]);
  const onChange = useCallback((c: typeof conversation) => store.setConversation(c), [store]);
  const locked = useReplyLocked(conversation);
  const mode = useComposerMode(conversation.id);
  return (
    <>
      <ConversationHeader conversation={conversation} onChange={onChange} />
      <CsatStatus conversation={conversation} />
      <MessageList messages={state.messages} hasOlder={state.olderCursor !== null} loadingOlder={state.loadingOlder} onLoadOlder={loadOlder} />
      {locked && mode !== 'note'
        ? <ReplyLock conversation={conversation} />
        : <Composer conversation={conversation} windowOpen={window.open} onSent={onSent} />}
    </>
  );
}

export function ConversationPane(props: { conversationId: string }): JSX.Element {
  const t = useT();
  const [store, state] = useConversationStore(props.conversationId);
  useReadReceipts(store, state);
  useLiveUpdates(store);
  let body: JSX.Element;
  if (state.conversation) body = <Loaded store={store} state={state} />;
  else if (state.error?.code === 'conversation_not_found') body = <EmptyState title={t('conversation.notFound')} text={t('conversation.notFoundText')} />;
  else if (state.error) {
    body = (
      <div className={styles.center}>
        <Notice kind="error">{t('conversation.loadFailed', { message: state.error.message })}</Notice>
        <button type="button" onClick={() => { void store.load(); }}>{t('conversation.retry')}</button>
      </div>
    );
  } else body = <div className={styles.center}><Spinner label={t('conversation.loading')} /></div>;
  return <section className={styles.pane} aria-label={t('conversation.pane')} data-conversation-id={props.conversationId}>{body}</section>;
}
