// Settings → My profile, the languages the person answers customers in: read from GET /users (their
// own row), edited as a comma list and saved with the rest of the profile (PATCH /auth/me languages).

import { useEffect, useState } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Field } from '../../../ui/ui.js';
import { listUsers } from '../settings-api.js';
import styles from '../settings.module.css';
import { languageName, parseLanguages } from './languages.js';
import own from './routing.module.css';

/** The person's languages as text to edit; null until loaded (then the profile is saved without them). */
export function useMyLanguages(userId: string): [string | null, (text: string) => void] {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void listUsers().then((r) => {
      if (live && r.ok) setText((r.data.items.find((u) => u.id === userId)?.languages ?? []).join(', '));
    });
    return () => { live = false; };
  }, [userId]);
  return [text, setText];
}

export function MyLanguagesField(props: { text: string | null; onChange: (text: string) => void }) {
  const t = useT();
  const parsed = parseLanguages(props.text ?? '');
  return (
    <>
      <Field
        label={t('routing.languages.mine')} name="languages" autoComplete="off" spellCheck={false} placeholder="ru, en" disabled={props.text === null}
        value={props.text ?? ''} onChange={(e) => props.onChange(e.target.value)} hint={t('routing.languages.hint')}
      />
      {parsed.ok && parsed.value.length > 0 && <p className={`${styles.muted} ${own.explain}`}>{parsed.value.map(languageName).join(', ')}</p>}
    </>
  );
}
