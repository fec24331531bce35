// The header's team row: the assignee and team with presence dots, "Assign to me", "Transfer…", the
// assignment history, the state actions and priority; refusals in plain words; who else is here.
// Keyboard shortcuts reach it through onPaneCommand.

import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import { useSession } from '../../../../session.js';
import type { Conversation } from '../conversation-store.js';
import { AssignmentHistory } from './assignment-history.js';
import { Collision, useReplyLocked } from './collision.js';
import { assignTo, onPaneCommand, patchStatus, type Result, type StatusPatch } from './conversation-actions.js';
import { StateActions } from './state-actions.js';
import { TransferDialog } from './transfer-dialog.js';
import { useTeamData, type PresenceStatus } from './team-data.js';
import styles from './actions.module.css';

function PresenceDot(props: { status: PresenceStatus }) {
  const t = useT();
  const cls = props.status === 'online' ? styles.online : props.status === 'away' ? styles.away : '';
  return (
    <>
      <span className={`${styles.dot} ${cls}`} aria-hidden="true" data-presence={props.status} />
      <span className="visually-hidden">({t(`team.presence.${props.status}`)})</span>
    </>
  );
}

export function TeamBar(props: { conversation: Conversation; onChange: (c: Conversation) => void }) {
  const t = useT();
  const c = props.conversation;
  const session = useSession();
  const data = useTeamData();
  const me = session.status === 'signed-in' ? session.user : null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const [snoozeOpen, setSnoozeOpen] = useState(false);

  useEffect(() => { setError(null); }, [c.id]);

  const run = useCallback(async (action: () => Promise<Result>) => {
    setBusy(true);
    setError(null);
    const res = await action();
    setBusy(false);
    if (res.ok) props.onChange(res.conversation);
    else setError(res.text);
  }, [props]);

  const assignToMe = useCallback(() => {
    if (me && c.assigneeId !== me.id) void run(() => assignTo(c.id, { assigneeId: me.id }));
  }, [me, c.id, c.assigneeId, run]);
  const patch = useCallback((p: StatusPatch) => { void run(() => patchStatus(c.id, p)); }, [c.id, run]);

  // Shortcuts: E resolve, A assign to me, S the snooze menu.
  const latest = useRef({ assignToMe, patch, state: c.state });
  latest.current = { assignToMe, patch, state: c.state };
  useEffect(() => onPaneCommand((command) => {
    const l = latest.current;
    if (command === 'resolve' && l.state !== 'resolved') l.patch({ state: 'resolved' });
    else if (command === 'assignToMe') l.assignToMe();
    else if (command === 'snooze' && l.state !== 'resolved') setSnoozeOpen(true);
  }), []);

  const assigneeName = c.assignee?.name ?? null;
  const mine = me !== null && c.assigneeId === me.id;
  // An agent cannot take someone else's conversation: no button for it (the A shortcut is told why).
  const locked = useReplyLocked(c);
  return (
    <div className={styles.bar} role="region" aria-label={t('team.actions')} data-testid="team-bar">
      <span className={styles.who} data-testid="assignee" data-assignee-id={c.assigneeId ?? ''}>
        <span className={styles.label}>{t('team.assignee')}:</span>
        {c.assigneeId && <PresenceDot status={data.presence[c.assigneeId] ?? 'offline'} />}
        <span className={styles.person}>{assigneeName ? (mine ? `${assigneeName} (${t('team.you')})` : assigneeName) : t('team.unassigned')}</span>
      </span>
      <span className={styles.who} data-testid="team" data-team-id={c.teamId ?? ''}>
        <span className={styles.label}>{t('team.team')}:</span>
        <span>{c.team?.name ?? t('team.noTeam')}</span>
      </span>
      {!mine && !locked && <button type="button" className={styles.btn} disabled={busy || !me} onClick={assignToMe}>{t('team.assignToMe')}</button>}
      <button type="button" className={styles.btn} disabled={busy} onClick={() => setTransferOpen(true)}>{t('team.transfer')}</button>
      <AssignmentHistory conversationId={c.id} version={`${c.assigneeId ?? ''}:${c.teamId ?? ''}:${c.updatedAt}`} />
      <span className={styles.spacer} />
      <StateActions conversation={c} busy={busy} snoozeOpen={snoozeOpen} onSnoozeOpen={setSnoozeOpen} onPatch={patch} />
      {error && <div role="alert" className={styles.error} data-testid="team-error">{error}</div>}
      <Collision conversationId={c.id} />
      {transferOpen && <TransferDialog conversation={c} onClose={() => setTransferOpen(false)} onDone={props.onChange} />}
    </div>
  );
}
