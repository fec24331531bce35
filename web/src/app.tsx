// The app's top: the session decides between the sign-in pages and the shell; the path picks the page.

import { useEffect } from 'react';
import { useT } from './i18n/i18n.js';
import { startLive, stopLive } from './live/socket.js';
import { SetPasswordPage } from './pages/auth/set-password-page.js';
import { SignInPage } from './pages/auth/sign-in-page.js';
import { InboxPage } from './pages/inbox/inbox-page.js';
import { SettingsPage } from './pages/settings/settings-page.js';
import { match, navigate, usePath } from './router.js';
import { loadSession, useSession } from './session.js';
import { Shell } from './shell/shell.js';
import { EmptyState, Notice, Spinner } from './ui/ui.js';

export function App() {
  const t = useT();
  const session = useSession();
  const path = usePath();

  useEffect(() => { void loadSession(); }, []);
  const signedIn = session.status === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    startLive();
    return stopLive;
  }, [signedIn]);

  const invite = match('/invite/:token', path);
  if (invite) return <SetPasswordPage mode="invite" token={invite['token']!} />;
  const reset = match('/reset/:token', path) ?? match('/reset-password/:token', path);
  if (reset) return <SetPasswordPage mode="reset" token={reset['token']!} />;

  if (session.status === 'loading') return <Spinner label={t('app.loading')} />;
  if (session.status === 'error') return <main><Notice kind="error">{t('app.error', { message: session.message })}</Notice></main>;
  if (session.status === 'signed-out') return <SignInPage />;

  if (path === '/' || path === '/sign-in') {
    queueMicrotask(() => navigate('/inbox', { replace: true }));
    return null;
  }
  const open = match('/inbox/:conversationId', path);
  if (path === '/inbox' || open) {
    return <Shell session={session} current="inbox"><InboxPage conversationId={open?.['conversationId'] ?? null} /></Shell>;
  }
  const settings = path === '/settings' ? { section: null } : match('/settings/:section', path);
  if (settings) {
    return <Shell session={session} current="settings"><SettingsPage session={session} section={settings['section'] ?? null} /></Shell>;
  }
  return (
    <Shell session={session} current="inbox">
      <EmptyState title={t('app.notFound.title')} text={t('app.notFound.text')} />
    </Shell>
  );
}
