// Settings → Workspace, the routing part: the default team new conversations join and the hours after
// which idle conversations are resolved. The page holds the draft and saves it with the rest.

import { useEffect, useId, useState } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { Field } from '../../../ui/ui.js';
import { listTeams, type TeamRow } from '../settings-api.js';
import styles from '../settings.module.css';
import { AUTO_RESOLVE_HOURS, routingSummary, wholeNumber, type WorkspaceSettings } from './routing-api.js';

export interface RoutingDraft { defaultTeamId: string | null; hours: string }

export function routingDraftOf(settings: WorkspaceSettings): RoutingDraft {
  return { defaultTeamId: settings.defaultTeamId, hours: settings.autoResolveAfterHours === null ? '' : String(settings.autoResolveAfterHours) };
}

export function routingChanged(draft: RoutingDraft | null, settings: WorkspaceSettings): boolean {
  if (!draft) return false;
  const saved = routingDraftOf(settings);
  return draft.defaultTeamId !== saved.defaultTeamId || draft.hours.trim() !== saved.hours;
}

/** What to PATCH, or the problem to show (checked here first, so the words are the user's). */
export function routingBody(draft: RoutingDraft | null, t: (key: string) => string):
  { ok: true; value: { defaultTeamId?: string | null; autoResolveAfterHours?: number | null } } | { ok: false; problem: string } {
  if (!draft) return { ok: true, value: {} };
  const hours = wholeNumber(draft.hours, AUTO_RESOLVE_HOURS);
  if (hours === undefined) return { ok: false, problem: t('routing.error.hours') };
  return { ok: true, value: { defaultTeamId: draft.defaultTeamId, autoResolveAfterHours: hours } };
}

export function WorkspaceRoutingFields(props: { draft: RoutingDraft; onChange: (draft: RoutingDraft) => void }) {
  const t = useT();
  const selectId = useId();
  const [teams, setTeams] = useState<TeamRow[]>([]);
  useEffect(() => { void listTeams().then((r) => { if (r.ok) setTeams(r.data.items); }); }, []);
  const { draft } = props;
  const chosen = teams.find((tm) => tm.id === draft.defaultTeamId);
  return (
    <fieldset className={styles.radios}>
      <legend>{t('routing.workspace.legend')}</legend>
      <div className={styles.selectField}>
        <label htmlFor={selectId}>{t('routing.workspace.defaultTeam')}</label>
        <select
          id={selectId} value={draft.defaultTeamId ?? ''} aria-describedby={`${selectId}-hint`}
          onChange={(e) => props.onChange({ ...draft, defaultTeamId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">{t('routing.workspace.noTeam')}</option>
          {/* The saved team is listed before the teams have loaded, so the choice shows. */}
          {teams.length === 0 && draft.defaultTeamId !== null && <option value={draft.defaultTeamId}>{draft.defaultTeamId}</option>}
          {teams.map((tm) => <option key={tm.id} value={tm.id}>{tm.name}</option>)}
        </select>
        <span id={`${selectId}-hint`} className={styles.muted}>
          {t('routing.workspace.defaultTeam.text')}
          {chosen && ` ${routingSummary(chosen.routing)}.`}
        </span>
      </div>
      {/* Text, not a number input: the browser would turn a typo into '' (= off) or block the form in its own words. */}
      <Field
        label={t('routing.workspace.hours')} name="autoResolveAfterHours" inputMode="numeric" autoComplete="off" placeholder={t('routing.workspace.hours.off')}
        value={draft.hours} onChange={(e) => props.onChange({ ...draft, hours: e.target.value })}
        hint={t('routing.workspace.hours.text')}
      />
    </fieldset>
  );
}
