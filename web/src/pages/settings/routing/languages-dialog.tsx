// Settings → People → Languages: the languages a person answers in (a comma list of two-letter codes),
// which teams that match the customer's language use to give them chats. PATCH /users/{id}.

import { useState, type FormEvent } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Button, Field, Notice } from '../../../ui/ui.js';
import { Dialog } from '../dialog.js';
import type { UserRow } from '../settings-api.js';
import styles from '../settings.module.css';
import { languageName, languagesProblemText, parseLanguages, patchUserLanguages } from './languages.js';
import own from './routing.module.css';

/** The codes as small chips, each named in full for the reader (title and screen readers); "—" when none. */
export function LanguageChips(props: { languages: readonly string[] }) {
  const t = useT();
  if (props.languages.length === 0) return <span className={styles.muted}>{t('routing.languages.none')}</span>;
  return (
    <span className={own.chips}>
      {props.languages.map((code) => (
        <span key={code} className={own.chip} title={languageName(code)} data-language={code}>
          <span aria-hidden="true">{code}</span><span className="visually-hidden">{languageName(code)}</span>
        </span>
      ))}
    </span>
  );
}

export function LanguagesDialog(props: { user: UserRow; onDone: (user: UserRow | null) => void }) {
  const t = useT();
  const [text, setText] = useState(props.user.languages.join(', '));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseLanguages(text);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.ok) return setProblem(parsed.problem);
    setBusy(true);
    const res = await patchUserLanguages(props.user.id, parsed.value);
    setBusy(false);
    if (res.ok) props.onDone(res.data);
    else setProblem(languagesProblemText(res.error));
  };

  return (
    <Dialog title={t('routing.languages.dialogTitle', { name: props.user.name })} onClose={() => props.onDone(null)}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {problem && <Notice kind="error">{problem}</Notice>}
        <Field
          label={t('routing.languages.label')} name="languages" autoComplete="off" spellCheck={false} placeholder="ru, en"
          value={text} onChange={(e) => { setText(e.target.value); setProblem(null); }} hint={t('routing.languages.hint')}
        />
        {parsed.ok && parsed.value.length > 0 && <p className={`${styles.muted} ${own.explain}`}>{parsed.value.map(languageName).join(', ')}</p>}
        <div className={styles.dialogActions}>
          <Button onClick={() => props.onDone(null)}>{t('settings.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={busy}>{t('settings.save')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
