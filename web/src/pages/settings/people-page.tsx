// Settings → People: the workspace's users (role, languages, status, last sign-in), invite by link,
// change a role or the languages they answer in, disable/enable, and make a password-reset link to pass on.

import { useState } from 'react';
import type { Role, User } from '../../api/auth.js';
import { formatDateTime, useT } from '../../i18n/i18n.js';
import { Button, EmptyState, Notice, Spinner } from '../../ui/ui.js';
import { CopyLink, Dialog } from './dialog.js';
import { InviteDialog } from './invite-dialog.js';
import { LanguageChips, LanguagesDialog } from './routing/languages-dialog.js';
import { ROLES, fullUrl, listUsers, patchUser, problemText, resetLink, resetUserTotp, type UserRow } from './settings-api.js';
import { useLoad } from './use-load.js';
import styles from './settings.module.css';

export function statusOf(u: UserRow): 'active' | 'invited' | 'disabled' {
  if (u.disabled) return 'disabled';
  return u.invitePending ? 'invited' : 'active';
}

function UserLine(props: {
  u: UserRow; me: User; onChanged: (u: UserRow) => void; onProblem: (text: string) => void; onLink: (u: UserRow, url: string) => void; onLanguages: (u: UserRow) => void;
}) {
  const t = useT();
  const { u, me } = props;
  const [busy, setBusy] = useState(false);
  const ownerLocked = u.role === 'owner' && me.role !== 'owner';
  const roles = ROLES.filter((r) => r !== 'owner' || me.role === 'owner' || u.role === 'owner');
  const change = async (patch: { role?: Role; disabled?: boolean }) => {
    setBusy(true);
    const res = await patchUser(u.id, patch);
    setBusy(false);
    if (res.ok) props.onChanged(res.data);
    else props.onProblem(problemText(res.error, 'user'));
  };
  const link = async () => {
    setBusy(true);
    const res = await resetLink(u.id);
    setBusy(false);
    if (res.ok) props.onLink(u, fullUrl(res.data.resetUrl));
    else props.onProblem(problemText(res.error, 'reset'));
  };
  const resetTotp = async () => {
    if (!window.confirm(t('settings.people.totpResetConfirm', { name: u.name }))) return;
    setBusy(true);
    const res = await resetUserTotp(u.id);
    setBusy(false);
    if (res.ok) props.onChanged(res.data);
    else props.onProblem(problemText(res.error, 'reset'));
  };
  const status = statusOf(u);
  return (
    <tr data-user-id={u.id}>
      <td><strong>{u.name}</strong>{u.id === me.id && <span className={styles.you}> {t('settings.people.you')}</span>}</td>
      <td className={styles.email}>{u.email}</td>
      <td>
        <select
          aria-label={t('settings.people.roleOf', { name: u.name })} value={u.role} disabled={busy || ownerLocked}
          onChange={(e) => void change({ role: e.target.value as Role })}
        >
          {roles.map((r) => <option key={r} value={r}>{t(`settings.role.${r}`)}</option>)}
        </select>
      </td>
      <td data-languages={u.languages.join(',')}>
        <div className={styles.actions}>
          <LanguageChips languages={u.languages} />
          <Button variant="ghost" onClick={() => props.onLanguages(u)} aria-label={t('routing.languages.editWho', { name: u.name })}>{t('routing.languages.edit')}</Button>
        </div>
      </td>
      <td><span className={`${styles.badge} ${styles[status]}`}>{t(`settings.status.${status}`)}</span></td>
      <td>{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : t('settings.people.never')}</td>
      <td><div className={styles.actions}>
        {u.id !== me.id && (
          <Button disabled={busy || ownerLocked} onClick={() => void change({ disabled: !u.disabled })} aria-label={t(u.disabled ? 'settings.people.enableWho' : 'settings.people.disableWho', { name: u.name })}>
            {t(u.disabled ? 'settings.people.enable' : 'settings.people.disable')}
          </Button>
        )}
        {!u.disabled && (
          <Button disabled={busy || ownerLocked} onClick={() => void link()} aria-label={t('settings.people.resetWho', { name: u.name })}>
            {t('settings.people.reset')}
          </Button>
        )}
        {u.totpEnabled && u.id !== me.id && (
          <Button disabled={busy || ownerLocked} onClick={() => void resetTotp()} aria-label={t('settings.people.totpResetWho', { name: u.name })}>
            {t('settings.people.totpReset')}
          </Button>
        )}
      </div></td>
    </tr>
  );
}

export function PeoplePage(props: { me: User }) {
  const t = useT();
  const [users, reload, replace] = useLoad(listUsers);
  const [problem, setProblem] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [shown, setShown] = useState<{ name: string; url: string } | null>(null);
  const [languagesOf, setLanguagesOf] = useState<UserRow | null>(null);

  const header = (
    <div className={styles.pageHeader}>
      <h1 id="settings-title" className={styles.title}>{t('settings.people.title')}</h1>
      <Button variant="primary" onClick={() => setInviting(true)}>{t('settings.people.invite')}</Button>
    </div>
  );
  let body;
  if (users.status === 'loading') body = <Spinner label={t('settings.people.loading')} />;
  else if (users.status === 'error') {
    body = (
      <>
        <Notice kind="error">{t('settings.people.loadFailed', { message: problemText(users.error) })}</Notice>
        <Button onClick={reload}>{t('settings.retry')}</Button>
      </>
    );
  } else if (users.data.items.length === 0) body = <EmptyState title={t('settings.people.empty.title')} text={t('settings.people.empty.text')} />;
  else {
    const onChanged = (u: UserRow) => { setProblem(null); replace({ items: users.data.items.map((x) => (x.id === u.id ? u : x)) }); };
    body = (
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">{t('settings.people.name')}</th><th scope="col">{t('settings.people.email')}</th>
              <th scope="col">{t('settings.people.role')}</th><th scope="col">{t('routing.languages.column')}</th><th scope="col">{t('settings.people.status')}</th>
              <th scope="col">{t('settings.people.lastSignIn')}</th><th scope="col"><span className="visually-hidden">{t('settings.people.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <UserLine key={u.id} u={u} me={props.me} onChanged={onChanged} onProblem={setProblem} onLink={(who, url) => { setProblem(null); setShown({ name: who.name, url }); }} onLanguages={setLanguagesOf} />
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <section aria-labelledby="settings-title">
      {header}
      <p className={styles.lead}>{t('settings.people.lead')}</p>
      {problem && <Notice kind="error">{problem}</Notice>}
      {body}
      {languagesOf && users.status === 'ready' && (
        <LanguagesDialog user={languagesOf} onDone={(u) => {
          setLanguagesOf(null);
          if (u) { setProblem(null); replace({ items: users.data.items.map((x) => (x.id === u.id ? u : x)) }); }
        }} />
      )}
      {inviting && <InviteDialog me={props.me} onClose={(created) => { setInviting(false); if (created) reload(); }} />}
      {shown && (
        <Dialog title={t('settings.people.resetTitle', { name: shown.name })} onClose={() => setShown(null)}>
          <p>{t('settings.people.resetText')}</p>
          <CopyLink url={shown.url} label={t('settings.people.resetLink')} />
          <div className={styles.dialogActions}><Button variant="primary" onClick={() => setShown(null)}>{t('settings.done')}</Button></div>
        </Dialog>
      )}
    </section>
  );
}
