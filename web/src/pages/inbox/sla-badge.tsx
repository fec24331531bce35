// The SLA badge of a conversation (list row and header): nothing while ok, amber with the time left,
// red with how long it is overdue — plural-correct in en and ru; re-rendered every half minute.

import { plural, useT } from '../../i18n/i18n.js';
import styles from './sla-badge.module.css';
import { useNow } from '../../ui/use-now.js';

export interface SlaInfo { status: 'ok' | 'amber' | 'red'; dueAt: number }

/** "12 min left" / "by 3 h" (after "Overdue"): minutes under two hours, whole hours beyond. */
export function slaText(sla: SlaInfo, now: number): string {
  const diff = sla.dueAt - now;
  const minutes = Math.max(1, Math.ceil(Math.abs(diff) / 60_000));
  const over = sla.status === 'red' || diff <= 0;
  if (minutes >= 120) return plural(over ? 'sla.overHours' : 'sla.leftHours', Math.floor(minutes / 60));
  return plural(over ? 'sla.over' : 'sla.left', minutes);
}


export function SlaBadge(props: { sla: SlaInfo | null | undefined; now?: number }) {
  const t = useT();
  const ticking = useNow(30_000);
  const { sla } = props;
  if (!sla || sla.status === 'ok') return null;
  const now = props.now ?? ticking;
  // The server's status is the truth; the clock only moves amber to red between refreshes.
  const status = sla.status === 'amber' && now >= sla.dueAt ? 'red' : sla.status;
  return (
    <span className={`${styles.badge} ${styles[status]}`} data-sla={status} title={t(`sla.badge.${status}`)}>
      {t(`sla.badge.${status}`)}{status === 'red' ? ' ' : ' · '}{slaText({ ...sla, status }, now)}
    </span>
  );
}
