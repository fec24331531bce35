// Settings → Teams → Routing: how a team's waiting chats are given to its members (manual, round
// robin, capacity), the most open chats per agent and whether to match the customer's language, each
// explained in a sentence or two.

import { useId, useState, type FormEvent } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Button, Field, Notice } from '../../../ui/ui.js';
import { Dialog } from '../dialog.js';
import type { TeamRow } from '../settings-api.js';
import styles from '../settings.module.css';
import own from './routing.module.css';
import { MAX_OPEN, ROUTING_MODES, putTeamRouting, routingProblemText, wholeNumber, type RoutingMode } from './routing-api.js';

export function TeamRoutingDialog(props: { team: TeamRow; onDone: (team: TeamRow | null) => void }) {
  const t = useT();
  const selectId = useId();
  const [mode, setMode] = useState<RoutingMode>(props.team.routing.mode);
  const [max, setMax] = useState(props.team.routing.maxOpenPerAgent === null ? '' : String(props.team.routing.maxOpenPerAgent));
  const [matchLanguage, setMatchLanguage] = useState(props.team.routing.matchLanguage);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const maxOpenPerAgent = mode === 'manual' ? null : wholeNumber(max, MAX_OPEN);
    if (maxOpenPerAgent === undefined || (mode === 'capacity' && maxOpenPerAgent === null)) return setProblem(t('routing.error.maxOpen'));
    setBusy(true);
    const res = await putTeamRouting(props.team.id, { mode, maxOpenPerAgent: mode === 'manual' ? props.team.routing.maxOpenPerAgent : maxOpenPerAgent, matchLanguage });
    setBusy(false);
    if (res.ok) props.onDone({ ...props.team, routing: res.data });
    else setProblem(routingProblemText(res.error));
  };

  return (
    <Dialog title={t('routing.dialogTitle', { name: props.team.name })} onClose={() => props.onDone(null)}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {problem && <Notice kind="error">{problem}</Notice>}
        <div className={styles.selectField}>
          <label htmlFor={selectId}>{t('routing.mode')}</label>
          <select id={selectId} value={mode} onChange={(e) => { setMode(e.target.value as RoutingMode); setProblem(null); }}>
            {ROUTING_MODES.map((m) => <option key={m} value={m}>{t(`routing.mode.${m}`)}</option>)}
          </select>
        </div>
        <p className={`${styles.muted} ${own.explain}`}>{t(`routing.mode.${mode}.text`)}</p>
        {mode !== 'manual' && (
          <Field
            label={t('routing.maxOpen')} name="maxOpenPerAgent" inputMode="numeric" autoComplete="off"
            value={max} onChange={(e) => { setMax(e.target.value); setProblem(null); }}
            hint={t(mode === 'capacity' ? 'routing.maxOpen.capacity' : 'routing.maxOpen.roundRobin')}
          />
        )}
        {mode !== 'manual' && (
          <label className={`${styles.check} ${own.matchLanguage}`}>
            <input type="checkbox" name="matchLanguage" checked={matchLanguage} onChange={(e) => setMatchLanguage(e.target.checked)} aria-describedby={`${selectId}-language`} />
            <span>
              <strong>{t('routing.matchLanguage')}</strong>
              <span id={`${selectId}-language`} className={styles.muted}>{t('routing.matchLanguage.text')}</span>
            </span>
          </label>
        )}
        {mode !== 'manual' && <p className={`${styles.muted} ${styles.note}`}>{t('routing.help')}</p>}
        <div className={styles.dialogActions}>
          <Button onClick={() => props.onDone(null)}>{t('settings.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={busy}>{t('settings.save')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
