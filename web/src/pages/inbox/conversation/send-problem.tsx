// A send that did not go: the policy's refusal (with its reason in plain words) or another error.

import type { ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { denyReasonKey } from './message-status.js';
import type { SendResult } from './send-message.js';
import styles from './composer.module.css';

export type SendProblem = { denied: true; reason: string } | { denied: false; text: string };

export function problemOf(result: SendResult): SendProblem | null {
  if (result.ok) return null;
  return result.denied ? { denied: true, reason: result.reason } : { denied: false, text: result.text };
}

export function SendProblemNotice(props: { problem: SendProblem | null }): ReactNode {
  const t = useT();
  const p = props.problem;
  if (!p) return null;
  return (
    <div className={styles.problem} role="alert">
      {p.denied
        ? <><strong>{t('conversation.deny.title')}</strong> {t(denyReasonKey(p.reason))}</>
        : <><strong>{t('conversation.send.failed')}</strong> {p.text}</>}
    </div>
  );
}
