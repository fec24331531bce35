// The inbox's first pane: folders (mine, unassigned, my teams, all — only "all" until the server
// offers the folder filter) and the state filter (open, pending, snoozed, resolved).

import { useId } from 'react';
import { useT } from '../../i18n/i18n.js';
import type { Folder, ListFilter, StateFilter } from './list-store.js';
import styles from './inbox.module.css';

const FOLDERS: Folder[] = ['mine', 'unassigned', 'my_teams', 'all'];
const STATES: StateFilter[] = ['open', 'pending', 'snoozed', 'resolved'];

export function Folders(props: { filter: ListFilter; foldersSupported: boolean; onChange: (f: ListFilter) => void }) {
  const t = useT();
  const stateId = useId();
  const folders = props.foldersSupported ? FOLDERS : (['all'] as Folder[]);
  return (
    <aside className={styles.folders} aria-label={t('inbox.filters')}>
      <h2 className={styles.heading}>{t('inbox.folders')}</h2>
      <ul className={styles.folderList}>
        {folders.map((f) => (
          <li key={f}>
            <button
              type="button" className={`${styles.folder} ${props.filter.folder === f ? styles.folderActive : ''}`}
              aria-pressed={props.filter.folder === f} onClick={() => props.onChange({ ...props.filter, folder: f })}
            >
              {t(`inbox.folder.${f}`)}
            </button>
          </li>
        ))}
      </ul>
      <h2 className={styles.heading}><label htmlFor={stateId}>{t('inbox.status')}</label></h2>
      <select id={stateId} className={styles.stateSelect} value={props.filter.state} onChange={(e) => props.onChange({ ...props.filter, state: e.target.value as StateFilter })}>
        {STATES.map((s) => <option key={s} value={s}>{t(`inbox.state.${s}`)}</option>)}
      </select>
    </aside>
  );
}
