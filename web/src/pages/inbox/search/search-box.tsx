// The search box above the conversation list: "/" or Ctrl+K (by event.code, so any keyboard layout;
// not while typing in a field) focuses it, Esc clears it.

import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { clearSearch, setQuery, useSearch } from './search-store.js';
import styles from './search.module.css';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function SearchBox() {
  const t = useT();
  const search = useSearch();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.metaKey) return;
      const slash = e.code === 'Slash' && !e.ctrlKey && !e.shiftKey;
      const ctrlK = e.code === 'KeyK' && e.ctrlKey;
      if (!slash && !ctrlK) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.code === 'Escape') {
      e.preventDefault();
      clearSearch();
      input.current?.blur();
    }
  };

  return (
    <div className={styles.box} role="search">
      <label htmlFor="inbox-search" className="visually-hidden">{t('search.label')}</label>
      <input
        ref={input} id="inbox-search" type="search" className={styles.input} value={search.query} autoComplete="off" spellCheck={false}
        placeholder={t('search.placeholder')} aria-keyshortcuts="/ Control+K" onChange={(e) => setQuery(e.target.value)} onKeyDown={onKeyDown}
      />
      {search.query && (
        <button type="button" className={styles.clear} onClick={() => { clearSearch(); input.current?.focus(); }} aria-label={t('search.clear')}>×</button>
      )}
    </div>
  );
}
