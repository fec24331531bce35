// /settings/:section: People, Teams, Workspace and Response times for owners and admins; canned replies for supervisors and up; My profile for everyone

import { useEffect } from 'react';
import type { SessionInfo } from '../../api/auth.js';
import { useT } from '../../i18n/i18n.js';
import { Link, navigate } from '../../router.js';
import { EmptyState } from '../../ui/ui.js';
import { PeoplePage } from './people-page.js';
import { ProfilePage } from './profile-page.js';
import { TeamsPage } from './teams-page.js';
import { WorkspacePage } from './workspace-page.js';
import { CannedRepliesPage } from './canned-replies/canned-replies-page.js';
import { SlaPage } from './sla/sla-page.js';
import { CsatPage } from './csat/csat-page.js';
import styles from './settings.module.css';

export type SettingsSection = 'people' | 'teams' | 'workspace' | 'canned' | 'sla' | 'csat' | 'profile';
const ALL: SettingsSection[] = ['people', 'teams', 'workspace', 'canned', 'sla', 'csat', 'profile'];

export function sectionsFor(role: SessionInfo['user']['role']): SettingsSection[] {
  return role === 'owner' || role === 'admin' ? ALL : role === 'supervisor' ? ['canned', 'profile'] : ['profile'];
}

export function SettingsPage(props: { session: SessionInfo; section: string | null }) {
  const t = useT();
  const sections = sectionsFor(props.session.user.role);
  const section = props.section as SettingsSection | null;
  useEffect(() => {
    if (section === null) navigate(`/settings/${sections[0]}`, { replace: true });
  }, [section, sections]);

  let page;
  if (section === null) page = null;
  else if (!ALL.includes(section)) {
    page = <><h1 id="settings-title" className="visually-hidden">{t('settings.title')}</h1><EmptyState title={t('app.notFound.title')} text={t('settings.notFound')} /></>;
  } else if (!sections.includes(section)) {
    page = (
      <>
        <h1 id="settings-title" className="visually-hidden">{t('settings.title')}</h1>
        <EmptyState title={t('settings.adminOnly.title')} text={t('settings.adminOnly.text')}>
          <Link href="/settings/profile">{t('settings.nav.profile')}</Link>
        </EmptyState>
      </>
    );
  } else if (section === 'people') page = <PeoplePage me={props.session.user} />;
  else if (section === 'teams') page = <TeamsPage />;
  else if (section === 'workspace') page = <WorkspacePage />;
  else if (section === 'canned') page = <CannedRepliesPage me={props.session.user} />;
  else if (section === 'sla') page = <SlaPage />;
  else if (section === 'csat') page = <CsatPage />;
  else page = <ProfilePage />;

  return (
    <div className={styles.settings}>
      <nav className={styles.sub} aria-label={t('settings.nav')}>
        <h2 className={styles.subHeading}>{t('settings.title')}</h2>
        <ul className={styles.subList}>
          {sections.map((s) => (
            <li key={s}>
              <Link href={`/settings/${s}`} className={`${styles.subItem} ${s === section ? styles.subActive : ''}`} aria-current={s === section ? 'page' : undefined}>
                {t(`settings.nav.${s}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className={styles.content}>{page}</div>
    </div>
  );
}
