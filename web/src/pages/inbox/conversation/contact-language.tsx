// The customer's language in the conversation header, when an operator has set it on the contact
// (PATCH /contacts/{id} language): a small code badge, named in full for the reader.

import { useEffect, useState, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { getContact, languageName } from '../../settings/routing/languages.js';
import styles from './contact-language.module.css';

export function ContactLanguage(props: { contactId: string }): ReactNode {
  const t = useT();
  const [language, setLanguage] = useState<{ contactId: string; code: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    void getContact(props.contactId).then((r) => { if (live && r.ok) setLanguage({ contactId: props.contactId, code: r.data.language }); });
    return () => { live = false; };
  }, [props.contactId]);
  if (language === null || language.contactId !== props.contactId || language.code === null) return null;
  const label = t('routing.contactLanguage', { language: languageName(language.code) });
  return (
    <span className={styles.language} title={label} data-contact-language={language.code}>
      <span aria-hidden="true">{language.code.toUpperCase()}</span><span className="visually-hidden">{label}</span>
    </span>
  );
}
