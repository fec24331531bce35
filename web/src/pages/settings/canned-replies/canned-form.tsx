// The create/edit dialog of a canned reply: shortcut, title, who sees it, the text with buttons that
// insert variables, the text's problem as you type and a live preview with a sample contact.

import { useId, useRef, useState, type FormEvent } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Button, Field, Notice } from '../../../ui/ui.js';
import { usePlaceCaret } from '../../../ui/use-caret.js';
import { Dialog } from '../dialog.js';
import settings from '../settings.module.css';
import {
  cannedErrorText, createCanned, parseCannedText, previewOf, problemOfText, sampleValues, updateCanned,
  type CannedDraft, type CannedReply, type CannedTeam,
} from './canned-api.js';
import styles from './canned.module.css';

export function CannedForm(props: { reply: CannedReply | null; teams: CannedTeam[]; agentName: string; onDone: (saved: CannedReply | null) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<CannedDraft>(() => ({
    shortcut: props.reply?.shortcut ?? '', title: props.reply?.title ?? '', body: props.reply?.body ?? '', teamId: props.reply?.team?.id ?? null,
  }));
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const body = useRef<HTMLTextAreaElement>(null);
  const placeCaret = usePlaceCaret(body, draft.body);
  const ids = { body: useId(), team: useId(), hint: useId(), preview: useId() };
  const set = (patch: Partial<CannedDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const parsed = parseCannedText(draft.body);
  const textProblem = parsed.ok ? null : problemOfText(parsed.problem);

  const insert = (token: string) => {
    const el = body.current;
    const at = el ? el.selectionStart : draft.body.length;
    const end = el ? el.selectionEnd : at;
    const next = draft.body.slice(0, at) + token + draft.body.slice(end);
    placeCaret(at + token.length);
    set({ body: next });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (textProblem || saving) return;
    setSaving(true);
    const res = props.reply ? await updateCanned(props.reply.id, draft) : await createCanned(draft);
    setSaving(false);
    if (res.ok) props.onDone(res.data);
    else setProblem(cannedErrorText(res.error));
  };
  const variables: Array<[string, string]> = [
    ['canned.form.var.contactName', '{{contact.name}}'],
    ['canned.form.var.contactPhone', '{{contact.phone}}'],
    ['canned.form.var.attribute', `{{contact.attributes.city}}`],
    ['canned.form.var.agentName', '{{agent.name}}'],
    ['canned.form.var.prompt', `{{?${t('canned.form.promptLabel')}}}`],
  ];
  const preview = draft.body.trim() ? previewOf(draft.body, sampleValues(props.agentName)) : '';
  const ready = draft.shortcut.trim() !== '' && draft.title.trim() !== '' && draft.body.trim() !== '' && !textProblem;

  return (
    <Dialog title={props.reply ? t('canned.form.editTitle', { shortcut: props.reply.shortcut }) : t('canned.form.newTitle')} onClose={() => props.onDone(null)}>
      <form onSubmit={(e) => void submit(e)} noValidate className={styles.form} data-testid="canned-form">
        {problem && <Notice kind="error">{problem}</Notice>}
        <Field label={t('canned.form.shortcut')} hint={t('canned.form.shortcutHint')} name="shortcut" value={draft.shortcut}
          onChange={(e) => set({ shortcut: e.target.value })} autoComplete="off" maxLength={40} />
        <Field label={t('canned.form.title')} name="title" value={draft.title} onChange={(e) => set({ title: e.target.value })} maxLength={120} />
        <div className={settings.selectField}>
          <label htmlFor={ids.team}>{t('canned.form.team')}</label>
          <select id={ids.team} name="team" value={draft.teamId ?? ''} onChange={(e) => set({ teamId: e.target.value || null })}>
            <option value="">{t('canned.everyone')}</option>
            {props.teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
          </select>
        </div>
        <div className={styles.bodyField}>
          <label htmlFor={ids.body}>{t('canned.form.body')}</label>
          <textarea ref={body} id={ids.body} name="body" rows={5} value={draft.body} maxLength={4096}
            aria-describedby={ids.hint} aria-invalid={textProblem ? true : undefined} onChange={(e) => set({ body: e.target.value })} />
          <span id={ids.hint} className={settings.hint}>{t('canned.form.bodyHint')}</span>
          <div className={styles.chips} role="group" aria-label={t('canned.form.insert')}>
            {variables.map(([label, token]) => (
              <button key={label} type="button" className={styles.chip} onClick={() => insert(token)}>{t(label)}</button>
            ))}
          </div>
          {textProblem && <p className={styles.problem} role="alert" data-testid="canned-text-problem">{textProblem}</p>}
        </div>
        <section className={styles.previewBox} aria-labelledby={ids.preview}>
          <h3 id={ids.preview} className={styles.previewTitle}>{t('canned.form.preview')}</h3>
          <div className={styles.bubble} data-testid="canned-preview">{preview || <span className={settings.muted}>{t('canned.form.previewEmpty')}</span>}</div>
        </section>
        <div className={settings.dialogActions}>
          <Button onClick={() => props.onDone(null)}>{t('canned.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={!ready || saving}>{t(props.reply ? 'canned.save' : 'canned.create')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
