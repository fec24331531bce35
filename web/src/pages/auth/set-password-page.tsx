// /invite/:token and /reset/:token: choose a password from a link an admin gave you, then you
// are signed in (or sent to sign-in when the API answers without a session).

import { useState, type FormEvent } from 'react';
import { call, type SessionInfo } from '../../api/auth.js';
import { useT } from '../../i18n/i18n.js';
import { navigate } from '../../router.js';
import { startSession } from '../../session.js';
import { Button, Field, Notice } from '../../ui/ui.js';
import { LanguageSwitch } from './language-switch.js';
import styles from './auth.module.css';
import { passwordRejectedReason } from './password-rule.js';

export type LinkMode = 'invite' | 'reset';

/** The public ends of the links: POST /auth/accept-invite and /auth/reset-password, with the link's token. */
const ENDPOINT: Record<LinkMode, string> = { invite: '/auth/accept-invite', reset: '/auth/reset-password' };

export function SetPasswordPage(props: { mode: LinkMode; token: string }) {
  const t = useT();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) {
      setError(t('auth.link.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    const body = { token: props.token, password, ...(props.mode === 'invite' && name ? { name } : {}) };
    const res = await call<Partial<SessionInfo>>('POST', ENDPOINT[props.mode], body);
    setBusy(false);
    if (!res.ok) {
      if (res.error.code === 'link_invalid') setError(t('auth.link.invalid'));
      else if (res.error.code === 'password_rejected') setError(t('auth.link.weak', { reason: passwordRejectedReason(res.error) }));
      else setError(t('auth.error.generic', { message: res.error.message }));
      return;
    }
    if (res.data.user && res.data.csrfToken && res.data.workspace) startSession(res.data as SessionInfo);
    navigate('/inbox', { replace: true });
  };

  const title = props.mode === 'invite' ? t('auth.invite.title') : t('auth.reset.title');
  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={(e) => void submit(e)} aria-labelledby="link-title" noValidate>
        <h1 id="link-title" className={styles.brand}>{title}</h1>
        <p className={styles.lead}>{t('auth.link.lead')}</p>
        {error && <Notice kind="error">{error}</Notice>}
        {props.mode === 'invite' && (
          <Field label={t('auth.name')} name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        )}
        <Field label={t('auth.newPassword')} hint={t('auth.passwordRules')} type="password" name="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <Field label={t('auth.repeatPassword')} type="password" name="repeat" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        <div className={styles.actions}>
          <Button type="submit" variant="primary" disabled={busy || !password}>{t('auth.link.submit')}</Button>
        </div>
        <LanguageSwitch className={styles.language} />
      </form>
    </main>
  );
}
