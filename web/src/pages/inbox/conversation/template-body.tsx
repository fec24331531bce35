// A template message in the list: its name and language, and the body rendered with the values
// it was sent with (when the template is synced), as the customer's phone shows it.

import { useEffect, useState, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import type { Message } from './conversation-store.js';
import { FormattedText } from './formatted-text.js';
import { templateByName, type Template } from './template-cache.js';
import { fillText, templateFields, valuesFromParams } from './template-fill.js';
import { Icon } from './icons.js';
import styles from './message-body.module.css';

export function TemplateBody(props: { message: Message }): ReactNode {
  const t = useT();
  const m = props.message;
  const content = (m.content ?? {}) as { name?: string; language?: string };
  const name = m.template?.name ?? content.name ?? '';
  const language = m.template?.language ?? content.language ?? null;
  const [template, setTemplate] = useState<Template | null>(null);
  useEffect(() => {
    let live = true;
    if (name) void templateByName(name, language).then((tpl) => { if (live) setTemplate(tpl); });
    return () => { live = false; };
  }, [name, language]);
  const values = valuesFromParams(m.template?.params ?? m.content);
  const f = template ? templateFields(template) : null;
  return (
    <div className={styles.template}>
      <div className={styles.templateName}>
        <Icon name="template" size={14} /> {t('conversation.template.label', { name })}{language ? ` · ${language}` : ''}
      </div>
      {f && f.header.format === 'TEXT' && f.header.text && <div className={styles.cardTitle}>{fillText(f.header.text, values, 'header')}</div>}
      {f && <FormattedText text={fillText(f.body.text, values, 'body')} />}
      {f?.footer && <div className={styles.muted}>{f.footer}</div>}
      {f && f.buttons.length > 0 && <div className={styles.options}>{f.buttons.map((b) => <span key={b.index} className={styles.option}>{b.text}</span>)}</div>}
    </div>
  );
}
