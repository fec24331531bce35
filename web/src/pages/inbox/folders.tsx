// The inbox's first pane: folders (mine, unassigned, my teams, all — only "all" until the server
// offers the folder filter) with their counts (total, unread), the state filter (open, pending,
// snoozed, resolved), priority and team filters, and the sort. Also mounts the keyboard shortcuts.

import { useId, useState } from 'react';
import { plural, useT } from '../../i18n/i18n.js';
import { Shortcuts } from '../../shell/shortcuts.js';
import { useTeamData } from './conversation/actions/team-data.js';
import { useList, type Folder, type FolderCounts, type ListFilter, type PriorityFilter, type SortOrder, type StateFilter } from './list-store.js';
import styles from './inbox.module.css';
import own from './folders.module.css';

const FOLDERS: Folder[] = ['mine', 'unassigned', 'my_teams', 'all', 'mentions'];
const STATES: StateFilter[] = ['open', 'pending', 'snoozed', 'resolved'];
const PRIORITIES: PriorityFilter[] = ['urgent', 'high', 'medium', 'low', 'none'];
const SORTS: SortOrder[] = ['last_activity', 'waiting', 'priority'];

const countKey = (f: Folder): keyof FolderCounts => (f === 'my_teams' ? 'teams' : f) as keyof FolderCounts;

function FolderCountBadge(props: { counts: FolderCounts | null; folder: Folder }) {
  const t = useT();
  const c = props.counts?.[countKey(props.folder)];
  if (!c) return null;
  return (
    <span className={own.counts} title={t('team.folderCount', { total: c.total, unread: c.unread })} data-total={c.total} data-unread={c.unread}>
      {c.unread > 0 && <span className={own.unread} aria-label={plural('inbox.unread', c.unread)}>{c.unread >= 1000 ? '999+' : c.unread}</span>}
      <span className={own.total}>{c.total >= 1000 ? '999+' : c.total}</span>
    </span>
  );
}

export function Folders(props: { filter: ListFilter; foldersSupported: boolean; onChange: (f: ListFilter) => void }) {
  const t = useT();
  const stateId = useId();
  const priorityId = useId();
  const teamId = useId();
  const sortId = useId();
  const { counts } = useList();
  const { teams } = useTeamData();
  const folders = props.foldersSupported ? FOLDERS : (['all'] as Folder[]);
  const f = props.filter;
  const active = !!(f.priority || f.teamId || (f.sort && f.sort !== 'last_activity'));
  // Folded away until asked for (or in use): the pane stays short, and the status stays the one select.
  const [showFilters, setShowFilters] = useState(active);
  const filtersId = useId();
  return (
    <aside className={styles.folders} aria-label={t('inbox.filters')}>
      <h2 className={styles.heading}>{t('inbox.folders')}</h2>
      <ul className={styles.folderList}>
        {folders.map((folder) => (
          <li key={folder}>
            <button
              type="button" className={`${styles.folder} ${own.folderRow} ${f.folder === folder ? styles.folderActive : ''}`}
              aria-pressed={f.folder === folder} onClick={() => props.onChange({ ...f, folder })} data-folder={folder}
            >
              <span>{t(`inbox.folder.${folder}`)}</span>
              <FolderCountBadge counts={counts} folder={folder} />
            </button>
          </li>
        ))}
      </ul>
      <h2 className={styles.heading}><label htmlFor={stateId}>{t('inbox.status')}</label></h2>
      <select id={stateId} className={styles.stateSelect} value={f.state} onChange={(e) => props.onChange({ ...f, state: e.target.value as StateFilter })}>
        {STATES.map((s) => <option key={s} value={s}>{t(`inbox.state.${s}`)}</option>)}
      </select>
      <h2 className={styles.heading}>
        <button type="button" className={own.toggle} aria-expanded={showFilters || active} aria-controls={filtersId}
          onClick={() => setShowFilters(!(showFilters || active))} data-testid="filters-toggle">
          {t('team.filters')} {showFilters || active ? '▾' : '▸'}
        </button>
      </h2>
      {(showFilters || active) && <div id={filtersId}>
      <div className={own.filter}>
        <label htmlFor={priorityId}>{t('team.filter.priority')}</label>
        <select id={priorityId} className={styles.stateSelect} value={f.priority ?? ''} data-testid="filter-priority"
          onChange={(e) => props.onChange({ ...f, priority: (e.target.value || undefined) as PriorityFilter | undefined })}>
          <option value="">{t('team.filter.anyPriority')}</option>
          {PRIORITIES.map((p) => <option key={p} value={p}>{t(`team.priority.${p}`)}</option>)}
        </select>
      </div>
      {teams.length > 0 && (
        <div className={own.filter}>
          <label htmlFor={teamId}>{t('team.filter.team')}</label>
          <select id={teamId} className={styles.stateSelect} value={f.teamId ?? ''} data-testid="filter-team"
            onChange={(e) => props.onChange({ ...f, teamId: e.target.value || undefined })}>
            <option value="">{t('team.filter.anyTeam')}</option>
            {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
          </select>
        </div>
      )}
      <div className={own.filter}>
        <label htmlFor={sortId}>{t('team.sort')}</label>
        <select id={sortId} className={styles.stateSelect} value={f.sort ?? 'last_activity'} data-testid="sort"
          onChange={(e) => props.onChange({ ...f, sort: e.target.value as SortOrder })}>
          {SORTS.map((s) => <option key={s} value={s}>{t(`team.sort.${s}`)}</option>)}
        </select>
      </div>
      </div>}
      <Shortcuts />
    </aside>
  );
}
