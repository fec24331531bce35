// "Transfer…": hand the conversation to an operator (optionally with a team) or to a team (optionally
// without an assignee), with a note the next one reads in the assignment history.

import { useId, useState, type FormEvent } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import type { Conversation } from '../conversation-store.js';
import { assignTo } from './conversation-actions.js';
import { Modal } from './popover.js';
import { useTeamData } from './team-data.js';
import styles from './actions.module.css';

export function TransferDialog(props: { conversation: Conversation; onClose: () => void; onDone: (c: Conversation) => void }) {
  const t = useT();
  const data = useTeamData();
  const c = props.conversation;
  const [mode, setMode] = useState<'person' | 'team'>('person');
  const [person, setPerson] = useState('');
  const [team, setTeam] = useState('');
  const [dropPerson, setDropPerson] = useState(true);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { person: useId(), team: useId(), note: useId(), drop: useId() };
  const users = data.users.filter((u) => !u.disabled);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: { assigneeId?: string | null; teamId?: string | null; note?: string } = {};
    if (mode === 'person') {
      if (!person) return setError(t('team.transfer.needTarget'));
      body.assigneeId = person;
      if (team) body.teamId = team;
    } else {
      if (!team) return setError(t('team.transfer.needTarget'));
      body.teamId = team;
      if (dropPerson && c.assigneeId) body.assigneeId = null;
    }
    if (note.trim()) body.note = note.trim();
    setBusy(true);
    setError(null);
    const res = await assignTo(c.id, body);
    setBusy(false);
    if (res.ok) {
      props.onDone(res.conversation);
      props.onClose();
    } else setError(res.text);
  };

  return (
    <Modal title={t('team.transfer.title')} onClose={props.onClose} testId="transfer-dialog">
      <form className={styles.form} onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>{t('team.transfer.target')}</legend>
          <label className={styles.check}>
            <input type="radio" name="transfer-mode" checked={mode === 'person'} onChange={() => setMode('person')} />{t('team.transfer.toPerson')}
          </label>
          <label className={styles.check}>
            <input type="radio" name="transfer-mode" checked={mode === 'team'} onChange={() => setMode('team')} />{t('team.transfer.toTeam')}
          </label>
        </fieldset>
        {mode === 'person' && (
          <div className={styles.field}>
            <label htmlFor={ids.person}>{t('team.transfer.person')}</label>
            <select id={ids.person} value={person} onChange={(e) => setPerson(e.target.value)} data-testid="transfer-person">
              <option value="">{t('team.transfer.pickPerson')}</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>{u.name} ({t(`team.presence.${data.presence[u.id] ?? 'offline'}`)})</option>
              ))}
            </select>
          </div>
        )}
        <div className={styles.field}>
          <label htmlFor={ids.team}>{t('team.transfer.teamField')}</label>
          <select id={ids.team} value={team} onChange={(e) => setTeam(e.target.value)} data-testid="transfer-team">
            <option value="">{mode === 'person' ? t('team.transfer.keepTeam') : t('team.transfer.pickTeam')}</option>
            {data.teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
          </select>
        </div>
        {mode === 'team' && c.assigneeId && (
          <label className={styles.check} htmlFor={ids.drop}>
            <input id={ids.drop} type="checkbox" checked={dropPerson} onChange={(e) => setDropPerson(e.target.checked)} />
            {t('team.transfer.unassignPerson')}
          </label>
        )}
        <div className={styles.field}>
          <label htmlFor={ids.note}>{t('team.transfer.note')}</label>
          <textarea id={ids.note} rows={3} maxLength={2000} value={note} placeholder={t('team.transfer.notePlaceholder')}
            onChange={(e) => setNote(e.target.value)} data-testid="transfer-note" />
        </div>
        {error && <div role="alert" className={styles.error}>{error}</div>}
        <div className={styles.buttons}>
          <button type="button" className={styles.btn} onClick={props.onClose}>{t('team.transfer.cancel')}</button>
          <button type="submit" className={`${styles.btn} ${styles.primary}`} disabled={busy}>{busy ? t('team.working') : t('team.transfer.submit')}</button>
        </div>
      </form>
    </Modal>
  );
}
