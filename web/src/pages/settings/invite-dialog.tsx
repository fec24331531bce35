// The "Invite" dialog: name, e-mail and role → POST /users without a password → the invite link
// (full URL) to copy and pass on; it works once, for 7 days.

import { useState, type FormEvent } from 'react';
import type { Role, User } from '../../api/auth.js';
import { useT } from '../../i18n/i18n.js';
import { Button, Field, Notice } from '../../ui/ui.js';
import { CopyLink, Dialog } from './dialog.js';
import { ROLES, fullUrl, inviteUser, problemText } from './settings-api.js';
import styles from './settings.module.css';

export function InviteDialog(props: { me: User; onClose: (created: boolean) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const roles = ROLES.filter((r) => r !== 'owner' || props.me.role === 'owner');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !email.trim()) return setProblem(t('settings.invite.required'));
    setBusy(true);
    setProblem(null);
    const res = await inviteUser({ name: name.trim(), email: email.trim(), role });
    setBusy(false);
    if (!res.ok) return setProblem(problemText(res.error, 'user'));
    setLink(res.data.inviteUrl ? fullUrl(res.data.inviteUrl) : '');
  };

  if (link !== null) {
    return (
      <Dialog title={t('settings.invite.doneTitle', { name })} onClose={() => props.onClose(true)}>
        <p>{t('settings.invite.doneText')}</p>
        {link && <CopyLink url={link} label={t('settings.invite.link')} />}
        <div className={styles.dialogActions}><Button variant="primary" onClick={() => props.onClose(true)}>{t('settings.done')}</Button></div>
      </Dialog>
    );
  }
  return (
    <Dialog title={t('settings.invite.title')} onClose={() => props.onClose(false)}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {problem && <Notice kind="error">{problem}</Notice>}
        <Field label={t('settings.people.name')} name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} required />
        <Field label={t('settings.people.email')} name="email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <div className={styles.selectField}>
          <label htmlFor="invite-role">{t('settings.people.role')}</label>
          <select id="invite-role" name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => <option key={r} value={r}>{t(`settings.role.${r}`)}</option>)}
          </select>
          <span className={styles.hint}>{t(`settings.roleHint.${role}`)}</span>
        </div>
        <div className={styles.dialogActions}>
          <Button onClick={() => props.onClose(false)}>{t('settings.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={busy}>{t('settings.invite.submit')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
