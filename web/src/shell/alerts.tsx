// Alerts for the signed-in operator, bottom right of every page: an SLA escalation addressed to them
// (the server sends sla.breached only to the supervisors its policy names) with the customer's name
// and a link to the chat. They stay until closed or opened: an escalation is not to be missed.

import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client.js';
import { useT } from '../i18n/i18n.js';
import { subscribeLive } from '../live/socket.js';
import { Link } from '../router.js';
import styles from './shell.module.css';

interface Alert { id: string; conversationId: string; customer: string }

/** At most this many at once: older ones give way. */
const MAX_ALERTS = 4;

async function customerOf(conversationId: string): Promise<string> {
  const res = await api.GET('/conversations/{id}', { params: { path: { id: conversationId } } }).catch(() => null);
  const c = res?.data?.contact;
  return c?.name ?? c?.e164 ?? (c?.waId ? `+${c.waId}` : '');
}

export function Alerts(): ReactNode {
  const t = useT();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => subscribeLive((event) => {
    if (event.kind !== 'sla.breached' || typeof event.conversationId !== 'string') return;
    const conversationId = event.conversationId;
    void customerOf(conversationId).then((customer) => setAlerts((list) => [
      ...list.filter((a) => a.conversationId !== conversationId),
      { id: `${conversationId}:${event.at}`, conversationId, customer },
    ].slice(-MAX_ALERTS)));
  }), []);
  const close = (id: string) => setAlerts((list) => list.filter((a) => a.id !== id));
  if (alerts.length === 0) return null;
  return (
    <section className={styles.alerts} aria-label={t('sla.alert.region')} aria-live="polite" data-testid="alerts">
      {alerts.map((a) => (
        <div key={a.id} className={styles.alert} data-alert="sla" data-conversation-id={a.conversationId}>
          <strong>{t('sla.alert.title')}</strong>
          <span>{a.customer ? t('sla.alert.text', { customer: a.customer }) : t('sla.alert.textNoName')}</span>
          <span className={styles.alertActions}>
            <Link href={`/inbox/${a.conversationId}`} onClick={() => close(a.id)}>{t('sla.alert.open')}</Link>
            <button type="button" className={styles.alertClose} onClick={() => close(a.id)} aria-label={t('sla.alert.close')}>×</button>
          </span>
        </div>
      ))}
    </section>
  );
}
