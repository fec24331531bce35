// Settings → Satisfaction (CSAT): the switch, the language of the rating list, the question (with
// its 1024-character limit counted as typed) and the template sent instead outside the 24-hour window.

import { useEffect, useId, useState, type FormEvent } from 'react';
import { formatNumber, useT } from '../../../i18n/i18n.js';
import { Button, Notice, Spinner } from '../../../ui/ui.js';
import { problemText } from '../settings-api.js';
import { useLoad } from '../use-load.js';
import styles from '../settings.module.css';
import own from './csat.module.css';
import { CSAT_LIMITS, DEFAULT_QUESTIONS, approvedTemplates, getCsatSettings, putCsatSettings, type CsatSettings, type TemplateItem } from './csat-api.js';

const templateKey = (t: { name: string; language: string } | null) => (t ? `${t.name}\u0000${t.language}` : '');

export function CsatPage() {
  const t = useT();
  const ids = { question: useId(), count: useId(), language: useId(), template: useId(), hint: useId() };
  const [loaded, reload, replace] = useLoad(getCsatSettings);
  const [draft, setDraft] = useState<CsatSettings | null>(null);
  const [templates, setTemplates] = useState<TemplateItem[]>([]);
  // Kept as a key (and the server's words), so the note follows a language switch.
  const [note, setNote] = useState<{ kind: 'error' | 'info'; key: string; message?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (loaded.status === 'ready') setDraft(loaded.data); }, [loaded]);
  useEffect(() => { void approvedTemplates().then((r) => { if (r.ok) setTemplates(r.data.items); }); }, []);

  const change = (patch: Partial<CsatSettings>) => { setDraft((d) => (d ? { ...d, ...patch } : d)); setNote(null); };
  const setLanguage = (language: CsatSettings['language']) => {
    if (!draft) return;
    // The standard question follows the list's language; a question the admin wrote stays as written.
    const standard = Object.values(DEFAULT_QUESTIONS).includes(draft.question);
    change({ language, ...(standard ? { question: DEFAULT_QUESTIONS[language] } : {}) });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    const res = await putCsatSettings(draft);
    setBusy(false);
    if (!res.ok) return setNote({ kind: 'error', key: 'csat.saveFailed', message: problemText(res.error) });
    replace(res.data);
    setNote({ kind: 'info', key: 'csat.saved' });
  };

  let body;
  if (loaded.status === 'loading' || (loaded.status === 'ready' && !draft)) body = <Spinner label={t('csat.loading')} />;
  else if (loaded.status === 'error') {
    body = <><Notice kind="error">{t('csat.loadFailed', { message: problemText(loaded.error) })}</Notice><Button onClick={reload}>{t('csat.retry')}</Button></>;
  } else if (draft) {
    const length = [...draft.question].length;
    const known = templates.some((x) => templateKey(x) === templateKey(draft.template));
    body = (
      <form onSubmit={(e) => void save(e)} className={styles.form} data-csat-settings>
        <label className={`${styles.radio} ${own.switch}`}>
          <input type="checkbox" role="switch" checked={draft.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
          <span>{t('csat.enabled')}</span>
        </label>
        <div className={styles.selectField}>
          <label htmlFor={ids.language}>{t('csat.language')}</label>
          <select id={ids.language} value={draft.language} onChange={(e) => setLanguage(e.target.value as CsatSettings['language'])}>
            <option value="en">{t('csat.language.en')}</option>
            <option value="ru">{t('csat.language.ru')}</option>
          </select>
        </div>
        <div className={styles.selectField}>
          <label htmlFor={ids.question}>{t('csat.question')}</label>
          <textarea
            id={ids.question} rows={3} className={own.question} value={draft.question} required aria-describedby={ids.count}
            aria-invalid={length > CSAT_LIMITS.questionMax || undefined}
            onChange={(e) => change({ question: e.target.value })}
          />
          <span id={ids.count} className={length > CSAT_LIMITS.questionMax ? own.over : styles.hint}>
            {t('csat.questionCount', { count: formatNumber(length), max: formatNumber(CSAT_LIMITS.questionMax) })}
          </span>
          {draft.question !== DEFAULT_QUESTIONS[draft.language] && (
            <Button variant="ghost" className={own.reset} onClick={() => change({ question: DEFAULT_QUESTIONS[draft.language] })}>{t('csat.useDefault')}</Button>
          )}
        </div>
        <div className={styles.selectField}>
          <label htmlFor={ids.template}>{t('csat.template')}</label>
          <select
            id={ids.template} aria-describedby={ids.hint} value={templateKey(draft.template)}
            onChange={(e) => {
              const [name, language] = e.target.value.split('\u0000');
              change({ template: name && language ? { name, language } : null });
            }}
          >
            <option value="">{t('csat.noTemplate')}</option>
            {draft.template && !known && <option value={templateKey(draft.template)}>{`${draft.template.name} (${draft.template.language})`}</option>}
            {templates.map((x) => <option key={x.id} value={templateKey(x)}>{`${x.name} (${x.language})`}</option>)}
          </select>
          <span id={ids.hint} className={styles.hint}>{templates.length === 0 ? t('csat.noTemplates') : t('csat.templateHint')}</span>
        </div>
        {note && <Notice kind={note.kind}>{t(note.key, note.message !== undefined ? { message: note.message } : undefined)}</Notice>}
        <Button type="submit" variant="primary" disabled={busy}>{t('csat.save')}</Button>
      </form>
    );
  }
  return (
    <section aria-labelledby="settings-title">
      <div className={styles.pageHeader}><h1 id="settings-title" className={styles.title}>{t('csat.title')}</h1></div>
      <p className={styles.lead}>{t('csat.lead')}</p>
      {body}
    </section>
  );
}
