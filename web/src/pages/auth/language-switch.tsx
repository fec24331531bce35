// Русский / English buttons (each label in its own language), for pages before sign-in and the user menu.

import { LOCALES, useLocale, type Locale } from '../../i18n/i18n.js';
import { changeLocale } from '../../session.js';
import { Button } from '../../ui/ui.js';

const NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский' };

export function LanguageSwitch(props: { className?: string }) {
  const locale = useLocale();
  return (
    <div className={props.className} role="group" aria-label="Language / Язык">
      {LOCALES.map((l) => (
        <Button key={l} variant={l === locale ? 'primary' : 'ghost'} aria-pressed={l === locale} lang={l} onClick={() => void changeLocale(l)}>
          {NAMES[l]}
        </Button>
      ))}
    </div>
  );
}
