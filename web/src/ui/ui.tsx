// Shared UI pieces (a handful, not a kit): Button, Field, Notice, EmptyState, Spinner.

import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode } from 'react';
import styles from './ui.module.css';

export function Button(props: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'ghost' | 'default' }) {
  const { variant = 'default', className, ...rest } = props;
  const cls = [styles.button, variant !== 'default' ? styles[variant] : '', className ?? ''].filter(Boolean).join(' ');
  return <button type="button" {...rest} className={cls} />;
}

export function Field(props: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  const { label, hint, id, ...rest } = props;
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-describedby={hintId} {...rest} />
      {hint && <span id={hintId} className={styles.hint}>{hint}</span>}
    </div>
  );
}

export function Notice(props: { kind: 'error' | 'info'; children: ReactNode }) {
  return (
    <div role={props.kind === 'error' ? 'alert' : 'status'} className={`${styles.notice} ${styles[props.kind]}`}>
      {props.children}
    </div>
  );
}

export function EmptyState(props: { title: string; text?: string; children?: ReactNode }) {
  return (
    <div className={styles.empty}>
      <p className={styles.emptyTitle}>{props.title}</p>
      {props.text && <p className={styles.emptyText}>{props.text}</p>}
      {props.children}
    </div>
  );
}

export function Spinner(props: { label: string }) {
  return (
    <div className={styles.empty} role="status">
      <div className={styles.spinner} aria-hidden="true" />
      <span>{props.label}</span>
    </div>
  );
}
