// Settings → Teams: the teams with their members; create, rename, delete (confirmed) and choose
// members (PUT /teams/{id}/members) from the workspace's active users.

import { useState, type FormEvent } from 'react';
import { plural, useT } from '../../i18n/i18n.js';
import { Button, EmptyState, Field, Notice, Spinner } from '../../ui/ui.js';
import { Dialog } from './dialog.js';
import { createTeam, deleteTeam, listTeams, listUsers, problemText, renameTeam, setMembers, type Outcome, type TeamRow, type UserRow } from './settings-api.js';
import { useLoad } from './use-load.js';
import { routingSummary } from './routing/routing-api.js';
import { TeamRoutingDialog } from './routing/team-routing-dialog.js';
import styles from './settings.module.css';

type Editing = { kind: 'rename' | 'members' | 'delete' | 'routing'; team: TeamRow } | null;

async function loadBoth(): Promise<Outcome<{ teams: TeamRow[]; users: UserRow[] }>> {
  const [teams, users] = await Promise.all([listTeams(), listUsers()]);
  if (!teams.ok) return teams;
  if (!users.ok) return users;
  return { ok: true, data: { teams: teams.data.items, users: users.data.items } };
}

function RenameDialog(props: { team: TeamRow; onDone: (team: TeamRow | null) => void }) {
  const t = useT();
  const [name, setName] = useState(props.team.name);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await renameTeam(props.team.id, name.trim());
    if (res.ok) props.onDone(res.data);
    else setProblem(problemText(res.error, 'team'));
  };
  return (
    <Dialog title={t('settings.teams.renameTitle', { name: props.team.name })} onClose={() => props.onDone(null)}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {problem && <Notice kind="error">{problem}</Notice>}
        <Field label={t('settings.teams.name')} name="name" value={name} onChange={(e) => setName(e.target.value)} />
        <div className={styles.dialogActions}>
          <Button onClick={() => props.onDone(null)}>{t('settings.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={!name.trim()}>{t('settings.save')}</Button>
        </div>
      </form>
    </Dialog>
  );
}

function MembersDialog(props: { team: TeamRow; users: UserRow[]; onDone: (team: TeamRow | null) => void }) {
  const t = useT();
  const [chosen, setChosen] = useState(() => new Set(props.team.memberIds));
  const [problem, setProblem] = useState<string | null>(null);
  const candidates = props.users.filter((u) => !u.disabled || chosen.has(u.id));
  const toggle = (id: string, on: boolean) => setChosen((s) => { const n = new Set(s); if (on) n.add(id); else n.delete(id); return n; });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const res = await setMembers(props.team.id, [...chosen]);
    if (res.ok) props.onDone(res.data);
    else setProblem(problemText(res.error, 'team'));
  };
  return (
    <Dialog title={t('settings.teams.membersTitle', { name: props.team.name })} onClose={() => props.onDone(null)}>
      <form onSubmit={(e) => void submit(e)}>
        {problem && <Notice kind="error">{problem}</Notice>}
        <fieldset className={styles.checks}>
          <legend>{t('settings.teams.chooseMembers')}</legend>
          {candidates.length === 0 && <p>{t('settings.teams.noUsers')}</p>}
          {candidates.map((u) => (
            <label key={u.id} className={styles.check}>
              <input type="checkbox" checked={chosen.has(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} />
              <span>{u.name} <span className={styles.muted}>{u.email} · {t(`settings.role.${u.role}`)}</span></span>
            </label>
          ))}
        </fieldset>
        <div className={styles.dialogActions}>
          <Button onClick={() => props.onDone(null)}>{t('settings.cancel')}</Button>
          <Button type="submit" variant="primary">{t('settings.save')}</Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog(props: { team: TeamRow; onDone: (deleted: boolean) => void }) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = async () => {
    const res = await deleteTeam(props.team.id);
    if (res.ok) props.onDone(true);
    else setProblem(problemText(res.error, 'team'));
  };
  return (
    <Dialog title={t('settings.teams.deleteTitle', { name: props.team.name })} onClose={() => props.onDone(false)}>
      {problem && <Notice kind="error">{problem}</Notice>}
      <p>{t('settings.teams.deleteText')}</p>
      <div className={styles.dialogActions}>
        <Button onClick={() => props.onDone(false)}>{t('settings.cancel')}</Button>
        <Button className={styles.danger} onClick={() => void confirm()}>{t('settings.teams.delete')}</Button>
      </div>
    </Dialog>
  );
}

export function TeamsPage() {
  const t = useT();
  const [data, reload, replace] = useLoad(loadBoth);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || data.status !== 'ready') return;
    const res = await createTeam(name.trim());
    if (!res.ok) return setProblem(problemText(res.error, 'team'));
    setProblem(null);
    setName('');
    replace({ ...data.data, teams: [...data.data.teams, res.data].sort((a, b) => a.name.localeCompare(b.name)) });
  };
  const put = (team: TeamRow | null) => {
    setEditing(null);
    if (team && data.status === 'ready') replace({ ...data.data, teams: data.data.teams.map((x) => (x.id === team.id ? team : x)) });
  };

  let body;
  if (data.status === 'loading') body = <Spinner label={t('settings.teams.loading')} />;
  else if (data.status === 'error') {
    body = <><Notice kind="error">{t('settings.teams.loadFailed', { message: problemText(data.error) })}</Notice><Button onClick={reload}>{t('settings.retry')}</Button></>;
  } else if (data.data.teams.length === 0) body = <EmptyState title={t('settings.teams.empty.title')} text={t('settings.teams.empty.text')} />;
  else {
    const names = new Map(data.data.users.map((u) => [u.id, u.name]));
    body = (
      <ul className={styles.cards}>
        {data.data.teams.map((team) => (
          <li key={team.id} className={styles.card} data-team-id={team.id}>
            <div>
              <h2 className={styles.cardTitle}>{team.name}</h2>
              <p className={styles.muted}>
                {plural('settings.teams.memberCount', team.memberIds.length)}
                {team.memberIds.length > 0 && `: ${team.memberIds.map((id) => names.get(id) ?? id).join(', ')}`}
              </p>
              <p className={styles.muted}>{routingSummary(team.routing)}</p>
            </div>
            <div className={styles.actions}>
              <Button onClick={() => setEditing({ kind: 'members', team })} aria-label={t('settings.teams.membersOf', { name: team.name })}>{t('settings.teams.members')}</Button>
              <Button onClick={() => setEditing({ kind: 'routing', team })} aria-label={t('routing.buttonWho', { name: team.name })}>{t('routing.button')}</Button>
              <Button onClick={() => setEditing({ kind: 'rename', team })} aria-label={t('settings.teams.renameWho', { name: team.name })}>{t('settings.teams.rename')}</Button>
              <Button onClick={() => setEditing({ kind: 'delete', team })} aria-label={t('settings.teams.deleteWho', { name: team.name })}>{t('settings.teams.delete')}</Button>
            </div>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section aria-labelledby="settings-title">
      <div className={styles.pageHeader}><h1 id="settings-title" className={styles.title}>{t('settings.teams.title')}</h1></div>
      <p className={styles.lead}>{t('settings.teams.lead')}</p>
      <form className={styles.inlineForm} onSubmit={(e) => void create(e)} noValidate>
        <Field label={t('settings.teams.newName')} name="team-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('settings.teams.namePlaceholder')} />
        <Button type="submit" variant="primary" disabled={!name.trim() || data.status !== 'ready'}>{t('settings.teams.create')}</Button>
      </form>
      {problem && <Notice kind="error">{problem}</Notice>}
      {body}
      {editing?.kind === 'rename' && <RenameDialog team={editing.team} onDone={put} />}
      {editing?.kind === 'routing' && <TeamRoutingDialog team={editing.team} onDone={put} />}
      {editing?.kind === 'members' && data.status === 'ready' && <MembersDialog team={editing.team} users={data.data.users} onDone={put} />}
      {editing?.kind === 'delete' && (
        <DeleteDialog team={editing.team} onDone={(deleted) => {
          setEditing(null);
          if (deleted && data.status === 'ready') replace({ ...data.data, teams: data.data.teams.filter((x) => x.id !== editing.team.id) });
        }} />
      )}
    </section>
  );
}
