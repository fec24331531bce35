// Settings → Response times: the workspace default SLA (first and next response, amber share) and what
// happens when red (urgent priority, people notified, team handover). Team policies are kept as they are.

import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Button, Field, Notice, Spinner } from '../../../ui/ui.js';
import { listTeams, listUsers, problemText, type TeamRow, type UserRow } from '../settings-api.js';
import { useLoad } from '../use-load.js';
import styles from '../settings.module.css';
import { getSla, putSla, type SlaPolicy } from './sla-api.js';

export function SlaPage() {
  const t = useT();
  const [sla, reload, replace] = useLoad(getSla);
  const [draft, setDraft] = useState<SlaPolicy | null>(null);
  const [users, setUsers] = useState<UserRow[]>([]);
  const [teams, setTeams] = useState<TeamRow[]>([]);
  const [note, setNote] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (sla.status === 'ready') setDraft(sla.data.default); }, [sla]);
  useEffect(() => {
    void listUsers().then((r) => { if (r.ok) setUsers(r.data.items.filter((u) => u.role !== 'agent')); });
    void listTeams().then((r) => { if (r.ok) setTeams(r.data.items); });
  }, []);

  const change = (patch: Partial<SlaPolicy>) => { setDraft((d) => (d ? { ...d, ...patch } : d)); setNote(null); };
  const escalate = (patch: Partial<SlaPolicy['escalation']>) => setDraft((d) => (d ? { ...d, escalation: { ...d.escalation, ...patch } } : d));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft || sla.status !== 'ready') return;
    setBusy(true);
    const res = await putSla({ default: draft, teams: sla.data.teams });
    setBusy(false);
    if (!res.ok) return setNote({ kind: 'error', text: t('sla.saveFailed', { message: problemText(res.error) }) });
    replace(res.data);
    setNote({ kind: 'info', text: t('sla.saved') });
  };

  let body;
  if (sla.status === 'loading' || (sla.status === 'ready' && !draft)) body = <Spinner label={t('sla.loading')} />;
  else if (sla.status === 'error') {
    body = <><Notice kind="error">{t('sla.loadFailed', { message: problemText(sla.error) })}</Notice><Button onClick={reload}>{t('sla.retry')}</Button></>;
  } else if (draft) {
    const num = (v: string) => Math.max(0, Math.floor(Number(v) || 0));
    body = (
      <form onSubmit={(e) => void save(e)} className={styles.form}>
        <Field label={t('sla.first')} type="number" min={1} required value={draft.firstResponseMinutes} onChange={(e) => change({ firstResponseMinutes: num(e.target.value) })} />
        <Field label={t('sla.next')} type="number" min={1} required value={draft.nextResponseMinutes} onChange={(e) => change({ nextResponseMinutes: num(e.target.value) })} />
        <Field label={t('sla.amber')} type="number" min={1} max={99} required value={draft.amberPercent} onChange={(e) => change({ amberPercent: num(e.target.value) })} />
        <fieldset className={styles.radios}>
          <legend>{t('sla.escalation')}</legend>
          <label className={styles.radio}>
            <input type="checkbox" checked={draft.escalation.raisePriority} onChange={(e) => escalate({ raisePriority: e.target.checked })} />
            <span>{t('sla.raisePriority')}</span>
          </label>
          <fieldset className={styles.radios}>
            <legend>{t('sla.notify')}</legend>
            {users.map((u) => (
              <label key={u.id} className={styles.radio}>
                <input
                  type="checkbox" checked={draft.escalation.notifyUserIds.includes(u.id)}
                  onChange={(e) => escalate({ notifyUserIds: e.target.checked ? [...draft.escalation.notifyUserIds, u.id] : draft.escalation.notifyUserIds.filter((id) => id !== u.id) })}
                />
                <span>{u.name}</span>
              </label>
            ))}
          </fieldset>
          <label>
            <span>{t('sla.reassign')} </span>
            <select value={draft.escalation.reassignTeamId ?? ''} onChange={(e) => escalate({ reassignTeamId: e.target.value === '' ? null : e.target.value })}>
              <option value="">{t('sla.noReassign')}</option>
              {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
            </select>
          </label>
        </fieldset>
        {note && <Notice kind={note.kind}>{note.text}</Notice>}
        <Button type="submit" variant="primary" disabled={busy}>{t('sla.save')}</Button>
      </form>
    );
  }
  return (
    <section aria-labelledby="settings-title">
      <div className={styles.pageHeader}><h1 id="settings-title" className={styles.title}>{t('sla.title')}</h1></div>
      <p className={styles.muted}>{t('sla.lead')}</p>
      {body}
    </section>
  );
}
