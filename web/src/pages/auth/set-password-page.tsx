// /invite/:token and /reset/:token: choose a password from a link an admin gave you, then you
// are signed in (or sent to sign-in when the API answers without a session). A link that is unknown,
// expired or used says so and offers only the way back to sign-in; a refused password names the rule.
// Problems are kept as what happened (not as text), so they follow a switch of language.

import { useState, type FormEvent } from 'react';
import { call, type SessionInfo } from '../../api/auth.js';
import type { ApiError } from '../../api/client.js';
import { useT } from '../../i18n/i18n.js';
import { Link, navigate } from '../../router.js';
import { startSession } from '../../session.js';
import { Button, Field, Notice } from '../../ui/ui.js';
import { LanguageSwitch } from './language-switch.js';
import styles from './auth.module.css';
import { passwordRejectedReason } from './password-rule.js';

export type LinkMode = 'invite' | 'reset';

/** The public ends of the links: POST /auth/accept-invite and /auth/reset-password, with the link's token. */
const ENDPOINT: Record<LinkMode, string> = { invite: '/auth/accept-invite', reset: '/auth/reset-password' };

type Problem =
  | { kind: 'mismatch' } | { kind: 'link_invalid' }
  | { kind: 'password_rejected'; error: ApiError } | { kind: 'other'; message: string };

export function SetPasswordPage(props: { mode: LinkMode; token: string }) {
  const t = useT();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) {
      setProblem({ kind: 'mismatch' });
      return;
    }
    setBusy(true);
    setProblem(null);
    const body = { token: props.token, password, ...(props.mode === 'invite' && name ? { name } : {}) };
    const res = await call<Partial<SessionInfo>>('POST', ENDPOINT[props.mode], body);
    setBusy(false);
    if (!res.ok) {
      const code = res.error.code;
      setProblem(code === 'link_invalid' ? { kind: 'link_invalid' } : code === 'password_rejected' ? { kind: 'password_rejected', error: res.error } : { kind: 'other', message: res.error.message });
      return;
    }
    if (res.data.user && res.data.csrfToken && res.data.workspace) startSession(res.data as SessionInfo);
    navigate('/inbox', { replace: true });
  };

  const title = props.mode === 'invite' ? t('auth.invite.title') : t('auth.reset.title');
  if (problem?.kind === 'link_invalid') {
    // Nothing on this page can make the link work again: only an admin's new link, or signing in.
    return (
      <main className={styles.page}>
        <section className={styles.card} aria-labelledby="link-title">
          <h1 id="link-title" className={styles.brand}>{title}</h1>
          <Notice kind="error">{t('auth.link.invalid')}</Notice>
          <div className={`${styles.actions} ${styles.after}`}>
            <Link href="/" className={styles.primaryLink}>{t('auth.link.toSignIn')}</Link>
          </div>
          <LanguageSwitch className={styles.language} />
        </section>
      </main>
    );
  }
  const text = problem === null ? null
    : problem.kind === 'mismatch' ? t('auth.link.mismatch')
      : problem.kind === 'password_rejected' ? t('auth.link.weak', { reason: passwordRejectedReason(problem.error) })
        : t('auth.link.failed', { message: problem.kind === 'other' ? problem.message : '' });
  const badPassword = problem?.kind === 'password_rejected' || undefined;
  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={(e) => void submit(e)} aria-labelledby="link-title" noValidate>
        <h1 id="link-title" className={styles.brand}>{title}</h1>
        <p className={styles.lead}>{t('auth.link.lead')}</p>
        {text && <Notice kind="error">{text}</Notice>}
        {props.mode === 'invite' && (
          <Field label={t('auth.name')} name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        )}
        <Field label={t('auth.newPassword')} hint={t('auth.passwordRules')} type="password" name="password" autoComplete="new-password" value={password}
          aria-invalid={badPassword} onChange={(e) => setPassword(e.target.value)} />
        <Field label={t('auth.repeatPassword')} type="password" name="repeat" autoComplete="new-password" value={repeat}
          aria-invalid={problem?.kind === 'mismatch' || undefined} onChange={(e) => setRepeat(e.target.value)} />
        <div className={styles.actions}>
          <Button type="submit" variant="primary" disabled={busy || !password}>{t('auth.link.submit')}</Button>
        </div>
        <p className={styles.footer}><Link href="/">{t(props.mode === 'invite' ? 'auth.link.haveAccount' : 'auth.link.backToSignIn')}</Link></p>
        <LanguageSwitch className={styles.language} />
      </form>
    </main>
  );
}
