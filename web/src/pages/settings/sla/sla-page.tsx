// Settings → Response times: the targets (first and next response, amber share, around the clock or in
// business hours only) and what happens when red (urgent priority, people notified, team handover) — for
// the whole workspace, and for a team that needs its own (a team without its own uses the workspace's);
// and the workspace's business hours. Saved together with PUT /sla.

import { useEffect, useId, useState, type FormEvent } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Button, Field, Notice, Spinner } from '../../../ui/ui.js';
import { listTeams, listUsers, problemText, type TeamRow, type UserRow } from '../settings-api.js';
import { useLoad } from '../use-load.js';
import styles from '../settings.module.css';
import { BusinessHoursFields, hoursProblem, type Weekday } from './business-hours-fields.js';
import { getSla, putSla, type SlaPolicy, type SlaSettings } from './sla-api.js';
import slaStyles from './sla.module.css';

/** The workspace's targets, or a team's own. */
type Scope = 'default' | string;

export function SlaPage() {
  const t = useT();
  const scopeId = useId();
  const [sla, reload, replace] = useLoad(getSla);
  const [draft, setDraft] = useState<SlaSettings | null>(null);
  const [scope, setScope] = useState<Scope>('default');
  const [users, setUsers] = useState<UserRow[]>([]);
  const [teams, setTeams] = useState<TeamRow[]>([]);
  const [note, setNote] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [invalidDay, setInvalidDay] = useState<Weekday | undefined>(undefined);
  useEffect(() => { if (sla.status === 'ready') setDraft(sla.data); }, [sla]);
  useEffect(() => {
    void listUsers().then((r) => { if (r.ok) setUsers(r.data.items.filter((u) => u.role !== 'agent')); });
    void listTeams().then((r) => { if (r.ok) setTeams(r.data.items); });
  }, []);

  const teamPolicy = draft && scope !== 'default' ? draft.teams.find((p) => p.teamId === scope) : undefined;
  const policy: SlaPolicy | undefined = scope === 'default' ? draft?.default : teamPolicy;
  const setPolicy = (next: SlaPolicy) => {
    setNote(null);
    setDraft((d) => {
      if (!d) return d;
      if (scope === 'default') return { ...d, default: next };
      return { ...d, teams: d.teams.map((p) => (p.teamId === scope ? { ...next, teamId: scope } : p)) };
    });
  };
  const change = (patch: Partial<SlaPolicy>) => { if (policy) setPolicy({ ...policy, ...patch }); };
  const escalate = (patch: Partial<SlaPolicy['escalation']>) => { if (policy) setPolicy({ ...policy, escalation: { ...policy.escalation, ...patch } }); };
  const ownTargets = (on: boolean) => {
    setNote(null);
    setDraft((d) => {
      if (!d || scope === 'default') return d;
      const rest = d.teams.filter((p) => p.teamId !== scope);
      return { ...d, teams: on ? [...rest, { ...d.default, teamId: scope }] : rest };
    });
  };
  const teamName = (id: string) => teams.find((tm) => tm.id === id)?.name ?? id;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const problem = hoursProblem(draft.businessHours, t);
    setInvalidDay(problem?.day);
    if (problem) return setNote({ kind: 'error', text: problem.text });
    setBusy(true);
    const res = await putSla(draft);
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
    const withOwn = new Set(draft.teams.map((p) => p.teamId));
    const hoursShown = [draft.default, ...draft.teams].some((p) => p.businessHoursOnly);
    body = (
      <form onSubmit={(e) => void save(e)} className={`${styles.form} ${slaStyles.form}`}>
        <div className={styles.selectField}>
          <label htmlFor={scopeId}>{t('sla.scope')}</label>
          <select id={scopeId} value={scope} onChange={(e) => { setScope(e.target.value); setNote(null); }} data-testid="sla-scope">
            <option value="default">{t('sla.scope.workspace')}</option>
            {teams.map((tm) => <option key={tm.id} value={tm.id}>{t(withOwn.has(tm.id) ? 'sla.scope.teamOwn' : 'sla.scope.team', { name: tm.name })}</option>)}
          </select>
        </div>
        {scope !== 'default' && !teamPolicy && (
          <Notice kind="info">
            {t('sla.teamUsesDefault', { name: teamName(scope) })}{' '}
            <Button onClick={() => ownTargets(true)}>{t('sla.teamOwn')}</Button>
          </Notice>
        )}
        {scope !== 'default' && teamPolicy && (
          <Notice kind="info">
            {t('sla.teamHasOwn', { name: teamName(scope) })}{' '}
            <Button onClick={() => ownTargets(false)}>{t('sla.teamUseDefault')}</Button>
          </Notice>
        )}
        {policy && <>
        <Field label={t('sla.first')} type="number" min={1} required value={policy.firstResponseMinutes} onChange={(e) => change({ firstResponseMinutes: num(e.target.value) })} />
        <Field label={t('sla.next')} type="number" min={1} required value={policy.nextResponseMinutes} onChange={(e) => change({ nextResponseMinutes: num(e.target.value) })} />
        <Field label={t('sla.amber')} type="number" min={1} max={99} required value={policy.amberPercent} onChange={(e) => change({ amberPercent: num(e.target.value) })} />
        <section className={slaStyles.section} aria-labelledby="sla-hours-title">
          <h2 id="sla-hours-title" className={slaStyles.sectionTitle}>{t('sla.hours.title')}</h2>
          <p className={styles.hint}>{t('sla.hours.lead')}</p>
          <label className={styles.check}>
            <input type="checkbox" checked={policy.businessHoursOnly} onChange={(e) => change({ businessHoursOnly: e.target.checked })} />
            <span>{t('sla.hours.only')}</span>
          </label>
          {hoursShown && (
            <BusinessHoursFields
              hours={draft.businessHours} invalidDay={invalidDay}
              onChange={(businessHours) => { setNote(null); setInvalidDay(undefined); setDraft((d) => (d ? { ...d, businessHours } : d)); }}
            />
          )}
        </section>
        <fieldset className={styles.radios}>
          <legend>{t('sla.escalation')}</legend>
          <label className={styles.radio}>
            <input type="checkbox" checked={policy.escalation.raisePriority} onChange={(e) => escalate({ raisePriority: e.target.checked })} />
            <span>{t('sla.raisePriority')}</span>
          </label>
          <fieldset className={styles.radios}>
            <legend>{t('sla.notify')}</legend>
            {users.map((u) => (
              <label key={u.id} className={styles.radio}>
                <input
                  type="checkbox" checked={policy.escalation.notifyUserIds.includes(u.id)}
                  onChange={(e) => escalate({ notifyUserIds: e.target.checked ? [...policy.escalation.notifyUserIds, u.id] : policy.escalation.notifyUserIds.filter((id) => id !== u.id) })}
                />
                <span>{u.name}</span>
              </label>
            ))}
          </fieldset>
          <label>
            <span>{t('sla.reassign')} </span>
            <select value={policy.escalation.reassignTeamId ?? ''} onChange={(e) => escalate({ reassignTeamId: e.target.value === '' ? null : e.target.value })}>
              <option value="">{t('sla.noReassign')}</option>
              {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
            </select>
          </label>
        </fieldset>
        </>}
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
