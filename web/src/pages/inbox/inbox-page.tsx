// /inbox and /inbox/:conversationId: folders & filters | the conversation list | the open
// conversation (W2's ConversationPane). The filter lives in the list store; the selection in the URL;
// while a search is typed, its results (search/) take the list's place.

import { useEffect } from 'react';
import { plural, useT } from '../../i18n/i18n.js';
import { sendLive } from '../../live/socket.js';
import { EmptyState } from '../../ui/ui.js';
import { ConversationPane } from './conversation/conversation-pane.js';
import { ConversationList } from './conversation-list.js';
import { Folders } from './folders.js';
import { loadList, useList } from './list-store.js';
import { SearchBox } from './search/search-box.js';
import { SearchResults } from './search/search-results.js';
import { useSearch } from './search/search-store.js';
import styles from './inbox.module.css';

export function InboxPage(props: { conversationId: string | null }) {
  const t = useT();
  const list = useList();
  const searching = useSearch().status !== 'idle';

  useEffect(() => { void loadList(list.filter); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    sendLive({ type: 'viewing', conversationId: props.conversationId });
  }, [props.conversationId]);

  return (
    <div className={`${styles.inbox} ${props.conversationId ? styles.inboxWithOpen : ''}`}>
      <Folders filter={list.filter} foldersSupported={list.foldersSupported} onChange={(f) => void loadList(f)} />
      <section className={styles.listPane} aria-labelledby="list-title">
        <SearchBox />
        <div className={styles.listHeader}>
          <h1 id="list-title" className={styles.listTitle}>{searching ? t('search.results') : t(`inbox.folder.${list.filter.folder}`)}</h1>
          {!searching && list.status === 'ready' && <span className={styles.count}>{plural('inbox.count', list.items.length, { more: list.nextCursor ? '+' : '' })}</span>}
        </div>
        {searching
          ? <SearchResults selectedId={props.conversationId} />
          : <ConversationList list={list} selectedId={props.conversationId} onRetry={() => void loadList(list.filter)} />}
      </section>
      <section className={styles.pane} aria-label={t('inbox.conversation')}>
        {props.conversationId
          ? <ConversationPane key={props.conversationId} conversationId={props.conversationId} />
          : <EmptyState title={t('inbox.pick.title')} text={t('inbox.pick.text')} />}
      </section>
    </div>
  );
}
