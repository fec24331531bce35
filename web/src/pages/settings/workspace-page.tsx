// Settings → Workspace: who agents see (GET/PATCH /workspace/settings agentVisibility), each choice
// explained in one sentence; the default team for new conversations and auto-resolve (routing/).

import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/i18n.js';
import { Button, Notice, Spinner } from '../../ui/ui.js';
import { getSettings, problemText, type AgentVisibility } from './settings-api.js';
import { useLoad } from './use-load.js';
import { patchWorkspace, routingProblemText } from './routing/routing-api.js';
import { WorkspaceRoutingFields, routingBody, routingChanged, routingDraftOf, type RoutingDraft } from './routing/workspace-routing-fields.js';
import styles from './settings.module.css';

const CHOICES: AgentVisibility[] = ['all', 'own_team_unassigned'];

export function WorkspacePage() {
  const t = useT();
  const [settings, reload, replace] = useLoad(getSettings);
  const [choice, setChoice] = useState<AgentVisibility | null>(null);
  const [routing, setRouting] = useState<RoutingDraft | null>(null);
  const [note, setNote] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (settings.status === 'ready') { setChoice(settings.data.agentVisibility); setRouting(routingDraftOf(settings.data)); } }, [settings]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!choice) return;
    const routed = routingBody(routing, t);
    if (!routed.ok) return setNote({ kind: 'error', text: routed.problem });
    setBusy(true);
    const res = await patchWorkspace({ agentVisibility: choice, ...routed.value });
    setBusy(false);
    if (!res.ok) return setNote({ kind: 'error', text: routingProblemText(res.error) });
    replace(res.data);
    setNote({ kind: 'info', text: t('settings.saved') });
  };

  let body;
  if (settings.status === 'loading') body = <Spinner label={t('settings.workspace.loading')} />;
  else if (settings.status === 'error') {
    body = <><Notice kind="error">{t('settings.workspace.loadFailed', { message: problemText(settings.error) })}</Notice><Button onClick={reload}>{t('settings.retry')}</Button></>;
  } else {
    body = (
      <form onSubmit={(e) => void save(e)} className={styles.form}>
        <fieldset className={styles.radios}>
          <legend>{t('settings.workspace.visibility')}</legend>
          {CHOICES.map((c) => (
            <label key={c} className={styles.radio}>
              <input type="radio" name="agentVisibility" value={c} checked={choice === c} onChange={() => { setChoice(c); setNote(null); }} />
              <span>
                <strong>{t(`settings.workspace.${c}`)}</strong>
                <span className={styles.muted}>{t(`settings.workspace.${c}.text`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <p className={`${styles.muted} ${styles.note}`}>{t('settings.workspace.note')}</p>
        {routing && <WorkspaceRoutingFields draft={routing} onChange={(d) => { setRouting(d); setNote(null); }} />}
        {note && <Notice kind={note.kind}>{note.text}</Notice>}
        <Button type="submit" variant="primary" disabled={busy || (choice === settings.data.agentVisibility && !routingChanged(routing, settings.data))}>{t('settings.save')}</Button>
      </form>
    );
  }
  return (
    <section aria-labelledby="settings-title">
      <div className={styles.pageHeader}><h1 id="settings-title" className={styles.title}>{t('settings.workspace.title')}</h1></div>
      {body}
    </section>
  );
}
