// The assignment history (GET /conversations/{id}/assignments) in a popover: to whom, by whom, when,
// and the transfer note.

import { useEffect, useState } from 'react';
import { api } from '../../../../api/client.js';
import { formatDateTime, useT } from '../../../../i18n/i18n.js';
import { Popover } from './popover.js';
import { useTeamData, userName } from './team-data.js';
import styles from './actions.module.css';

interface Entry { id: string; assigneeId: string | null; teamId: string | null; byUserId: string | null; note: string | null; createdAt: number }

export function AssignmentHistory(props: { conversationId: string; version: string }) {
  const t = useT();
  const data = useTeamData();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Entry[] | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void api.GET('/conversations/{id}/assignments', { params: { path: { id: props.conversationId } } }).then((res) => {
      if (live) setItems(res.data?.items ?? []);
    });
    return () => { live = false; };
  }, [open, props.conversationId, props.version]);

  const teamName = (id: string | null) => (id ? data.teams.find((tm) => tm.id === id)?.name ?? null : null);
  return (
    <Popover label={t('team.history')} panelLabel={t('team.history.title')} open={open} onOpenChange={setOpen} testId="history-button">
      <strong>{t('team.history.title')}</strong>
      {items === null && <span className={styles.muted}>{t('team.history.loading')}</span>}
      {items?.length === 0 && <span className={styles.muted}>{t('team.history.empty')}</span>}
      {items && items.length > 0 && (
        <ul className={styles.history} data-testid="assignment-history">
          {[...items].reverse().map((a) => {
            const who = [userName(data, a.assigneeId), teamName(a.teamId)].filter(Boolean).join(' · ');
            return (
              <li key={a.id}>
                <div>{who ? t('team.history.to', { who }) : t('team.history.unassigned')}</div>
                <div className={styles.muted}>
                  {a.byUserId ? t('team.history.by', { who: userName(data, a.byUserId) ?? '?' }) : t('team.history.byApi')} · {formatDateTime(a.createdAt)}
                </div>
                {a.note && <p className={styles.note}>{a.note}</p>}
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" className={styles.item} onClick={() => setOpen(false)}>{t('team.history.close')}</button>
    </Popover>
  );
}
