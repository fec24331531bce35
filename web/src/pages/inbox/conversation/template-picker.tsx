// The WhatsApp template picker (window closed): approved templates of the inbox searched by name and
// filtered by language, a field per variable, a live preview as the phone shows it, and send.

import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { Conversation, Message } from './conversation-store.js';
import { FormattedText } from './formatted-text.js';
import { sendToConversation } from './send-message.js';
import { SendLater } from './scheduled/send-later.js';
import { SendProblemNotice, problemOf, type SendProblem } from './send-problem.js';
import { approvedTemplates, type Template } from './template-cache.js';
import { fillText, missingValues, templateContent, templateFields, type TemplateValues } from './template-fill.js';
import styles from './composer.module.css';

function Preview(props: { template: Template; values: TemplateValues }): ReactNode {
  const t = useT();
  const f = templateFields(props.template);
  return (
    <div className={styles.phone} aria-label={t('conversation.template.preview')} role="figure">
      <div className={styles.phoneBubble} data-testid="template-preview">
        {f.header.format === 'TEXT' && f.header.text && <div className={styles.phoneHeader}>{fillText(f.header.text, props.values, 'header')}</div>}
        {['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(f.header.format) && (
          <div className={styles.phoneMedia}>{t(`conversation.template.header.${f.header.format.toLowerCase()}`)}</div>
        )}
        <FormattedText text={fillText(f.body.text, props.values, 'body')} />
        {f.footer && <div className={styles.phoneFooter}>{f.footer}</div>}
      </div>
      {f.buttons.map((b) => <div key={b.index} className={styles.phoneButton}>{b.type === 'URL' ? '↗ ' : ''}{b.text}</div>)}
    </div>
  );
}

function VariableFields(props: { template: Template; values: TemplateValues; onChange: (key: string, value: string) => void }): ReactNode {
  const t = useT();
  const f = templateFields(props.template);
  const fields: Array<{ key: string; label: string }> = [
    ...(['IMAGE', 'VIDEO', 'DOCUMENT'].includes(f.header.format) ? [{ key: 'header.media', label: t('conversation.template.mediaLink') }] : []),
    ...f.header.keys.map((k) => ({ key: `header.${k}`, label: t('conversation.template.headerVar', { name: `{{${k}}}` }) })),
    ...f.body.keys.map((k) => ({ key: `body.${k}`, label: t('conversation.template.bodyVar', { name: `{{${k}}}` }) })),
    ...f.buttons.filter((b) => b.keys.length > 0).map((b) => ({ key: `button.${b.index}`, label: t('conversation.template.buttonVar', { name: b.text }) })),
  ];
  if (fields.length === 0) return <p className={styles.hint}>{t('conversation.template.noVariables')}</p>;
  return (
    <div className={styles.fields}>
      {fields.map((field) => (
        <label key={field.key} className={styles.field}>
          <span>{field.label}</span>
          <input value={props.values[field.key] ?? ''} onChange={(e) => props.onChange(field.key, e.target.value)} data-var={field.key}
            type={field.key === 'header.media' ? 'url' : 'text'} />
        </label>
      ))}
    </div>
  );
}

export function TemplatePicker(props: { conversation: Conversation; onSent: (m: Message) => void }): ReactNode {
  const t = useT();
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [loadError, setLoadError] = useState(false);
  const [query, setQuery] = useState('');
  const [language, setLanguage] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [values, setValues] = useState<TemplateValues>({});
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<SendProblem | null>(null);
  const inboxId = props.conversation.inboxId;

  useEffect(() => {
    let live = true;
    approvedTemplates(inboxId).then((list) => { if (live) setTemplates(list); }, () => { if (live) setLoadError(true); });
    return () => { live = false; };
  }, [inboxId]);

  const languages = useMemo(() => [...new Set((templates ?? []).map((x) => x.language))].sort(), [templates]);
  const shown = useMemo(() => (templates ?? []).filter((x) => x.name.toLowerCase().includes(query.trim().toLowerCase()) && (language === '' || x.language === language)), [templates, query, language]);
  const selected = templates?.find((x) => x.id === selectedId) ?? null;
  const missing = selected ? missingValues(templateFields(selected), values) : [];

  const choose = (id: string) => {
    setSelectedId(id);
    setValues({});
    setProblem(null);
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!selected || missing.length > 0 || sending) return;
    setSending(true);
    setProblem(null);
    const result = await sendToConversation(props.conversation, templateContent(selected, values));
    setSending(false);
    if (result.ok) {
      props.onSent(result.message);
      setSelectedId(null);
      setValues({});
    } else if (result.denied && result.message) props.onSent(result.message);
    setProblem(problemOf(result));
  };

  if (loadError) return <div className={styles.problem} role="alert">{t('conversation.template.loadFailed')}</div>;
  if (!templates) return <div className={styles.hint}>{t('conversation.template.loading')}</div>;
  return (
    <form className={styles.picker} onSubmit={send}>
      <div className={styles.filters}>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('conversation.template.search')} aria-label={t('conversation.template.search')} />
        <select value={language} onChange={(e) => setLanguage(e.target.value)} aria-label={t('conversation.template.language')}>
          <option value="">{t('conversation.template.allLanguages')}</option>
          {languages.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </div>
      {shown.length === 0
        ? <p className={styles.hint}>{t(templates.length === 0 ? 'conversation.template.none' : 'conversation.template.noMatch')}</p>
        : (
          <ul className={styles.templates} aria-label={t('conversation.template.list')}>
            {shown.map((x) => (
              <li key={x.id}>
                <button type="button" className={`${styles.templateItem} ${x.id === selectedId ? styles.selected : ''}`} aria-pressed={x.id === selectedId} onClick={() => choose(x.id)} data-template={`${x.name}:${x.language}`}>
                  <span className={styles.templateName}>{x.name}</span>
                  <span className={styles.templateMeta}>{x.language} · {t(`conversation.template.category.${x.category}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      {selected && (
        <div className={styles.selectedTemplate}>
          <VariableFields template={selected} values={values} onChange={(k, v) => setValues((old) => ({ ...old, [k]: v }))} />
          <Preview template={selected} values={values} />
        </div>
      )}
      <SendProblemNotice problem={problem} />
      <div className={styles.actions}>
        {selected && missing.length > 0 && <span className={styles.hint}>{t('conversation.template.fillAll', { count: missing.length })}</span>}
        <SendLater conversationId={props.conversation.id} windowClosesAt={props.conversation.windowExpiresAt} template
          disabled={!selected || missing.length > 0 || sending} content={() => (selected ? templateContent(selected, values) : null)}
          onScheduled={() => { setSelectedId(null); setValues({}); setProblem(null); }} />
        <button type="submit" className={styles.send} disabled={!selected || missing.length > 0 || sending}>
          {t(sending ? 'conversation.composer.sending' : 'conversation.template.send')}
        </button>
      </div>
    </form>
  );
}
