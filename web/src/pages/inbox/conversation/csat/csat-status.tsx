// The conversation's latest CSAT survey under the header: asked, rated (stars), or why it was not
// sent. Re-read when the conversation changes (resolve, the customer's rating: conversation.updated).
// Surveys are asked on resolve, so in a chat that is not resolved (reopened since) the latest one
// belongs to the previous resolution: its rating is shown muted as the previous one, with its date;
// a request still unanswered or one not sent then says nothing about the chat now, so it is hidden.

import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../../../../api/client.js';
import type { paths } from '../../../../api/schema.js';
import { formatDateTime, useT } from '../../../../i18n/i18n.js';
import type { Conversation } from '../conversation-store.js';
import { DENY_REASONS, denyReasonKey } from '../message-status.js';
import styles from './csat.module.css';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
export type Survey = Json<paths['/conversations/{id}/csat']['get']['responses'][200]>['items'][number];

const OWN_REASONS = new Set(['window_closed', 'template_not_found']);
const POLICY_REASONS = new Set<string>(DENY_REASONS);

function useLatestSurvey(conversation: Pick<Conversation, 'id' | 'state' | 'updatedAt'>): Survey | null {
  const [survey, setSurvey] = useState<Survey | null>(null);
  useEffect(() => {
    let live = true;
    void api.GET('/conversations/{id}/csat', { params: { path: { id: conversation.id } } }).then((res) => {
      if (live && res.data) setSurvey(res.data.items[0] ?? null);
    });
    return () => { live = false; };
  }, [conversation.id, conversation.state, conversation.updatedAt]);
  return survey;
}

export function Stars(props: { rating: number; muted?: boolean }): ReactNode {
  return <span className={props.muted ? `${styles.stars} ${styles.mutedStars}` : styles.stars} aria-hidden="true">{'★'.repeat(props.rating)}<span className={styles.off}>{'★'.repeat(5 - props.rating)}</span></span>;
}

export function CsatStatus(props: { conversation: Conversation }): ReactNode {
  const t = useT();
  const survey = useLatestSurvey(props.conversation);
  if (!survey) return null;
  const rating = survey.status === 'answered' ? survey.rating : null;
  if (props.conversation.state !== 'resolved') {
    if (rating === null) return null;
    return (
      <div className={`${styles.bar} ${styles.muted}`} role="status" aria-label={t('csat.pane.label')} data-csat-status="answered" data-csat-previous
        title={t('csat.pane.previousHint')}>
        <span>{t('csat.pane.ratedBefore', { rating, time: formatDateTime(survey.answeredAt ?? survey.askedAt) })}</span>
        <Stars rating={rating} muted />
      </div>
    );
  }
  let text: string;
  let tone = styles.neutral;
  if (rating !== null) {
    text = t('csat.pane.rated', { rating });
    tone = rating >= 4 ? styles.good : rating <= 2 ? styles.bad : styles.neutral;
  } else if (survey.status === 'asked') {
    text = survey.messageStatus === 'failed' ? t('csat.pane.undelivered') : survey.channel === 'template' ? t('csat.pane.askedTemplate') : t('csat.pane.asked');
  } else {
    const reason = survey.reason ?? '';
    // Our own reasons, then the sending rule's words as the composer shows them, else the code.
    const why = OWN_REASONS.has(reason) ? t(`csat.reason.${reason}`) : POLICY_REASONS.has(reason) ? t(denyReasonKey(reason)) : t('csat.reason.refused', { code: reason });
    text = t('csat.pane.skipped', { reason: why });
    tone = styles.muted;
  }
  const at = survey.answeredAt ?? survey.askedAt;
  return (
    <div className={`${styles.bar} ${tone}`} role="status" aria-label={t('csat.pane.label')} data-csat-status={survey.status} title={formatDateTime(at)}>
      <span>{text}</span>
      {rating !== null && <Stars rating={rating} />}
    </div>
  );
}
