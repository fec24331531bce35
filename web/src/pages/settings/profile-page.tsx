// Settings → My profile (everyone): name and language, the languages they answer customers in, and a
// new password (with the current one; the person's other sessions end) — PATCH /auth/me.

import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../api/auth.js';
import { useT, type Locale } from '../../i18n/i18n.js';
import { startSession } from '../../session.js';
import { Button, Field, Notice, Spinner } from '../../ui/ui.js';
import { languagesProblemText, parseLanguages } from './routing/languages.js';
import { MyLanguagesField, useMyLanguages } from './routing/my-languages-field.js';
import { getMe, patchMe, problemText } from './settings-api.js';
import { useLoad } from './use-load.js';
import styles from './settings.module.css';

type Note = { kind: 'error' | 'info'; text: string } | null;

function DetailsForm(props: { info: SessionInfo }) {
  const t = useT();
  const [name, setName] = useState(props.info.user.name);
  const [locale, setLocaleChoice] = useState<Locale>(props.info.user.locale);
  const [languages, setLanguages] = useMyLanguages(props.info.user.id);
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setNote({ kind: 'error', text: t('settings.profile.nameRequired') });
    const spoken = languages === null ? null : parseLanguages(languages);
    if (spoken && !spoken.ok) return setNote({ kind: 'error', text: spoken.problem });
    setBusy(true);
    const res = await patchMe({ name: name.trim(), locale, ...(spoken ? { languages: spoken.value } : {}) });
    setBusy(false);
    if (!res.ok) return setNote({ kind: 'error', text: res.error.code === 'language_invalid' ? languagesProblemText(res.error) : problemText(res.error, 'profile') });
    if (spoken) setLanguages(spoken.value.join(', '));
    startSession(res.data as SessionInfo);
    setNote({ kind: 'info', text: t('settings.saved') });
  };
  return (
    <form onSubmit={(e) => void save(e)} className={styles.form} aria-labelledby="profile-details" noValidate>
      <h2 id="profile-details" className={styles.subtitle}>{t('settings.profile.details')}</h2>
      <Field label={t('settings.profile.name')} hint={t('settings.profile.nameHint')} name="name" autoComplete="name" value={name} onChange={(e) => { setName(e.target.value); setNote(null); }} />
      <Field label={t('settings.profile.email')} name="email" value={props.info.user.email} readOnly />
      <div className={styles.selectField}>
        <label htmlFor="profile-locale">{t('settings.profile.language')}</label>
        <select id="profile-locale" name="locale" value={locale} onChange={(e) => { setLocaleChoice(e.target.value as Locale); setNote(null); }}>
          <option value="en" lang="en">English</option>
          <option value="ru" lang="ru">Русский</option>
        </select>
      </div>
      <MyLanguagesField text={languages} onChange={(text) => { setLanguages(text); setNote(null); }} />
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <Button type="submit" variant="primary" disabled={busy}>{t('settings.save')}</Button>
    </form>
  );
}

function PasswordForm() {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!current || !next) return setNote({ kind: 'error', text: t('settings.profile.passwordRequired') });
    if (next !== repeat) return setNote({ kind: 'error', text: t('settings.profile.mismatch') });
    setBusy(true);
    const res = await patchMe({ password: next, currentPassword: current });
    setBusy(false);
    if (!res.ok) return setNote({ kind: 'error', text: problemText(res.error, 'profile') });
    startSession(res.data as SessionInfo);
    setCurrent(''); setNext(''); setRepeat('');
    setNote({ kind: 'info', text: t('settings.profile.passwordChanged') });
  };
  return (
    <form onSubmit={(e) => void save(e)} className={styles.form} aria-labelledby="profile-password" noValidate>
      <h2 id="profile-password" className={styles.subtitle}>{t('settings.profile.password')}</h2>
      <Field label={t('settings.profile.current')} type="password" name="current-password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      <Field label={t('settings.profile.new')} hint={t('settings.profile.rules')} type="password" name="new-password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
      <Field label={t('settings.profile.repeat')} type="password" name="repeat-password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      {note && <Notice kind={note.kind}>{note.text}</Notice>}
      <Button type="submit" variant="primary" disabled={busy}>{t('settings.profile.changePassword')}</Button>
    </form>
  );
}

export function ProfilePage() {
  const t = useT();
  const [me, reload] = useLoad(getMe);
  let body;
  if (me.status === 'loading') body = <Spinner label={t('settings.profile.loading')} />;
  else if (me.status === 'error') {
    body = <><Notice kind="error">{t('settings.profile.loadFailed', { message: problemText(me.error) })}</Notice><Button onClick={reload}>{t('settings.retry')}</Button></>;
  } else {
    body = <div className={styles.columns}><DetailsForm info={me.data as SessionInfo} /><PasswordForm /></div>;
  }
  return (
    <section aria-labelledby="settings-title">
      <div className={styles.pageHeader}><h1 id="settings-title" className={styles.title}>{t('settings.profile.title')}</h1></div>
      {body}
    </section>
  );
}
