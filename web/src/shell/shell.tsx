// The shell around every page: navigation (the inbox and settings now; other features shown as
// coming), the workspace's name, the live connection state and the user menu.

import { useEffect, useState, type ReactNode } from 'react';
import { useT } from '../i18n/i18n.js';
import { subscribeLive } from '../live/socket.js';
import { Link } from '../router.js';
import type { SessionInfo } from '../api/auth.js';
import { Alerts } from './alerts.js';
import { UserMenu } from './user-menu.js';
import styles from './shell.module.css';

const SOON = ['contacts', 'campaigns', 'automation', 'analytics'] as const;
export type ShellPage = 'inbox' | 'settings';

function useConnected(): boolean {
  const [connected, setConnected] = useState(true);
  useEffect(() => subscribeLive((e) => { if (e.kind === 'connection') setConnected(e.connected); }), []);
  return connected;
}

export function Shell(props: { session: SessionInfo; current: ShellPage; children: ReactNode }) {
  const t = useT();
  const connected = useConnected();
  return (
    <div className={styles.shell}>
      <header className={styles.top}>
        <p className={styles.brand}>Parley<span className={styles.workspace}>{props.session.workspace.name}</span></p>
        {!connected && <span className={styles.connection} role="status">{t('shell.reconnecting')}</span>}
        <UserMenu user={props.session.user} />
      </header>
      <nav className={styles.nav} aria-label={t('shell.nav')}>
        <ul className={styles.navList}>
          <li>
            <Link href="/inbox" className={`${styles.navItem} ${props.current === 'inbox' ? styles.active : ''}`} aria-current={props.current === 'inbox' ? 'page' : undefined}>
              {t('shell.nav.inbox')}
            </Link>
          </li>
          {SOON.map((key) => (
            <li key={key}>
              <span className={`${styles.navItem} ${styles.disabled}`} aria-disabled="true">
                {t(`shell.nav.${key}`)} <span className={styles.soon}>{t('shell.soon')}</span>
              </span>
            </li>
          ))}
          <li>
            {/* Everyone has Settings: owners and admins all of it, the others their own profile. */}
            <Link href="/settings" className={`${styles.navItem} ${props.current === 'settings' ? styles.active : ''}`} aria-current={props.current === 'settings' ? 'page' : undefined}>
              {t('shell.nav.settings')}
            </Link>
          </li>
        </ul>
        <div className={styles.navFooter}>
          <a href="/docs">{t('shell.apiDocs')}</a>
          <a href="/about">{t('shell.about')}</a>
        </div>
      </nav>
      <main className={styles.main}>{props.children}</main>
      <Alerts />
    </div>
  );
}
