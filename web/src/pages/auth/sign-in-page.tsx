// Sign-in: e-mail and password (and the authenticator code or the workspace when the API asks
// for them); the API's error codes shown in plain words.

import { useState, type FormEvent } from 'react';
import { signIn } from '../../api/auth.js';
import type { ApiError } from '../../api/client.js';
import { formatTime, useT } from '../../i18n/i18n.js';
import { startSession } from '../../session.js';
import { Button, Field, Notice } from '../../ui/ui.js';
import { LanguageSwitch } from './language-switch.js';
import styles from './auth.module.css';

interface WorkspaceChoice { id: string; name: string }

/** The message for an API error of sign-in, in the current language. */
export function signInErrorText(t: (k: string, v?: Record<string, string | number>) => string, error: ApiError): string {
  const d = error.details ?? {};
  switch (error.code) {
    case 'invalid_credentials': return t('auth.error.invalidCredentials');
    case 'sign_in_locked': {
      const until = Number(d['lockedUntil'] ?? d['retryAt'] ?? NaN);
      return Number.isFinite(until) ? t('auth.error.lockedUntil', { time: formatTime(until) }) : t('auth.error.locked');
    }
    case 'rate_limited': {
      const until = Number(d['retryAt'] ?? NaN);
      return Number.isFinite(until) ? t('auth.error.rateLimitedUntil', { time: formatTime(until) }) : t('auth.error.rateLimited');
    }
    case 'account_disabled': return t('auth.error.disabled');
    case 'totp_required': return t('auth.error.totpRequired');
    case 'network_error': return t('auth.error.network');
    case 'validation_failed': return t('auth.error.invalidInput');
    default: return t('auth.error.generic', { message: error.message });
  }
}

export function SignInPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState<string | null>(null);
  const [workspaces, setWorkspaces] = useState<WorkspaceChoice[] | null>(null);
  const [workspaceId, setWorkspaceId] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await signIn({ email, password, ...(workspaceId ? { workspaceId } : {}), ...(totp ? { totp } : {}) });
    setBusy(false);
    if (res.ok) {
      startSession(res.data);
      return;
    }
    if (res.error.code === 'workspace_choice_required') {
      const list = (res.error.details?.['workspaces'] as WorkspaceChoice[] | undefined) ?? [];
      setWorkspaces(list);
      setWorkspaceId(list[0]?.id ?? '');
      return;
    }
    if (res.error.code === 'totp_required' && totp === null) {
      setTotp('');
      return;
    }
    setError(signInErrorText(t, res.error));
  };

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title" className={styles.brand}>Parley</h1>
        <p className={styles.lead}>{t('auth.signIn.lead')}</p>
        {error && <Notice kind="error">{error}</Notice>}
        <Field label={t('auth.email')} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label={t('auth.password')} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {totp !== null && (
          <Field label={t('auth.totp')} hint={t('auth.totpHint')} name="totp" inputMode="numeric" autoComplete="one-time-code" value={totp} onChange={(e) => setTotp(e.target.value)} />
        )}
        {workspaces && (
          <fieldset className={styles.choices}>
            <legend>{t('auth.chooseWorkspace')}</legend>
            {workspaces.map((w) => (
              <label key={w.id} className={styles.choice}>
                <input type="radio" name="workspace" value={w.id} checked={workspaceId === w.id} onChange={() => setWorkspaceId(w.id)} />
                {w.name}
              </label>
            ))}
          </fieldset>
        )}
        <div className={styles.actions}>
          <Button type="submit" variant="primary" disabled={busy || !email || !password}>
            {busy ? t('auth.signIn.busy') : t('auth.signIn.submit')}
          </Button>
        </div>
        <p className={styles.footer}>{t('auth.forgot')}</p>
        <LanguageSwitch className={styles.language} />
      </form>
    </main>
  );
}
