// The user menu: name and role, language (ru/en, saved on the user), presence (online/away, sent
// over the live socket), sign out.

import { useEffect, useState } from 'react';
import type { User } from '../api/auth.js';
import { useT } from '../i18n/i18n.js';
import { sendLive } from '../live/socket.js';
import { LanguageSwitch } from '../pages/auth/language-switch.js';
import { signOut } from '../session.js';
import { Button } from '../ui/ui.js';
import styles from './shell.module.css';

type Presence = 'online' | 'away';

export function UserMenu(props: { user: User }) {
  const t = useT();
  const [presence, setPresence] = useState<Presence>('online');
  useEffect(() => sendLive({ type: 'presence', status: presence }), [presence]);
  const initial = (props.user.name || props.user.email).slice(0, 1).toUpperCase();
  return (
    <details className={styles.menu}>
      <summary>
        <span className={styles.avatar} aria-hidden="true">
          {initial}<span className={`${styles.dot} ${styles[presence]}`} />
        </span>
        <span>{props.user.name}</span>
        <span className="visually-hidden">{t('shell.userMenu')}</span>
      </summary>
      <div className={styles.panel}>
        <div className={styles.who}>
          <strong>{props.user.name}</strong>
          <span className={styles.role}>{props.user.email} · {t(`shell.role.${props.user.role}`)}</span>
        </div>
        <fieldset className={styles.group}>
          <legend>{t('shell.language')}</legend>
          <LanguageSwitch />
        </fieldset>
        <fieldset className={styles.group}>
          <legend>{t('shell.presence')}</legend>
          {(['online', 'away'] as const).map((p) => (
            <Button key={p} variant={p === presence ? 'primary' : 'ghost'} aria-pressed={p === presence} onClick={() => setPresence(p)}>
              {t(`shell.presence.${p}`)}
            </Button>
          ))}
        </fieldset>
        <Button onClick={() => void signOut()}>{t('shell.signOut')}</Button>
      </div>
    </details>
  );
}
