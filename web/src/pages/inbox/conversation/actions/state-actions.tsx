// State actions in the header: Resolve / Reopen, Snooze (1 h, tomorrow 9:00, next week, until the
// customer replies, a chosen time), Mark pending, and the priority menu.

import { useId, useState } from 'react';
import { formatDateTime, useT } from '../../../../i18n/i18n.js';
import type { Conversation } from '../conversation-store.js';
import { PRIORITIES, SNOOZE_PRESETS, snoozeUntil, type Priority, type SnoozePreset, type StatusPatch } from './conversation-actions.js';
import { Popover } from './popover.js';
import styles from './actions.module.css';

/** `datetime-local` value for an epoch ms (local time). */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function SnoozeMenu(props: { open: boolean; onOpenChange: (o: boolean) => void; onSnooze: (patch: StatusPatch) => void }) {
  const t = useT();
  const customId = useId();
  const [custom, setCustom] = useState(() => localInput(Date.now() + 2 * 3_600_000));
  const pick = (preset: SnoozePreset) => {
    props.onOpenChange(false);
    const until = snoozeUntil(preset, Date.now());
    props.onSnooze(until === null ? { untilReply: true } : { snoozedUntil: until });
  };
  const applyCustom = () => {
    const at = new Date(custom).getTime();
    props.onOpenChange(false);
    props.onSnooze({ snoozedUntil: Number.isFinite(at) ? at : 0 });
  };
  return (
    <Popover label={t('team.snooze')} panelLabel={t('team.snooze.menu')} open={props.open} onOpenChange={props.onOpenChange} testId="snooze-button">
      {SNOOZE_PRESETS.map((p) => (
        <button key={p} type="button" className={styles.item} onClick={() => pick(p)} data-snooze={p}>{t(`team.snooze.${p}`)}</button>
      ))}
      <div className={styles.custom}>
        <label htmlFor={customId}>{t('team.snooze.custom')}</label>
        <input id={customId} type="datetime-local" value={custom} onChange={(e) => setCustom(e.target.value)} />
        <button type="button" className={styles.btn} onClick={applyCustom}>{t('team.snooze.customApply')}</button>
      </div>
    </Popover>
  );
}

/** A menu, not a <select>: the pane keeps one select (the template language) and tests find it by tag. */
function PriorityMenu(props: { priority: Priority; busy: boolean; onPick: (p: Priority) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <Popover label={`${t('team.priority')}: ${t(`team.priority.${props.priority}`)}`} panelLabel={t('team.priority')}
      open={open} onOpenChange={setOpen} testId="priority-button">
      {PRIORITIES.map((p) => (
        <button key={p} type="button" className={styles.item} aria-pressed={p === props.priority} disabled={props.busy}
          data-priority-option={p} onClick={() => { setOpen(false); if (p !== props.priority) props.onPick(p); }}>
          {t(`team.priority.${p}`)}
        </button>
      ))}
    </Popover>
  );
}

export function StateActions(props: {
  conversation: Conversation; busy: boolean; snoozeOpen: boolean; onSnoozeOpen: (o: boolean) => void; onPatch: (patch: StatusPatch) => void;
}) {
  const t = useT();
  const c = props.conversation;
  const stateText = c.state === 'snoozed'
    ? (c.snoozedUntil ? t('team.snoozedUntil', { at: formatDateTime(c.snoozedUntil) }) : t('team.snoozedUntilReply'))
    : t('team.state', { state: t(`team.state.${c.state}`) });
  return (
    <>
      <span className={styles.state} data-testid="conversation-state" data-state={c.state}>{stateText}</span>
      {c.state === 'resolved'
        ? <button type="button" className={styles.btn} disabled={props.busy} onClick={() => props.onPatch({ state: 'open' })}>{t('team.reopen')}</button>
        : <button type="button" className={`${styles.btn} ${styles.primary}`} disabled={props.busy} onClick={() => props.onPatch({ state: 'resolved' })}>{t('team.resolve')}</button>}
      {c.state !== 'resolved' && <SnoozeMenu open={props.snoozeOpen} onOpenChange={props.onSnoozeOpen} onSnooze={props.onPatch} />}
      {c.state === 'snoozed' && <button type="button" className={styles.btn} disabled={props.busy} onClick={() => props.onPatch({ state: 'open' })}>{t('team.reopen')}</button>}
      {c.state !== 'pending' && c.state !== 'resolved' && (
        <button type="button" className={styles.btn} disabled={props.busy} onClick={() => props.onPatch({ state: 'pending' })}>{t('team.markPending')}</button>
      )}
      <PriorityMenu priority={c.priority as Priority} busy={props.busy} onPick={(priority) => props.onPatch({ priority })} />
    </>
  );
}
