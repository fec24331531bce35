// One message: a bubble left (customer) or right (business) with the ad it came from, the quoted
// message, its content, the time and status ticks, why it failed, and reactions as chips below.

import type { ReactNode } from 'react';
import { formatDateTime, formatTime, t as translate, useT } from '../../../i18n/i18n.js';
import type { Message } from './conversation-store.js';
import { MessageBody, contentOf, str, type Content } from './message-body.js';
import type { ReactionChip } from './message-reactions.js';
import { failureOf, tickOf, type Tick } from './message-status.js';
import { parseWhatsAppText, plainText, type Block, type Line } from './whatsapp-format.js';
import { MessageActions } from './composer/message-actions.js';
import styles from './message-bubble.module.css';

const blockLines = (b: Block): Line[] => (b.kind === 'mono' ? [[{ kind: 'text', text: b.text }]] : b.kind === 'bullets' || b.kind === 'numbered' ? b.items : b.lines);

/** A one-line summary of a message for a quote. */
export function summaryOf(m: Message): string {
  const c = contentOf(m);
  const text = str(c['body']) ?? str(c['caption']) ?? str(c['title']) ?? str(c['text']) ?? str(c['name']) ?? str(c['filename']);
  if (text) return parseWhatsAppText(text).flatMap(blockLines).map(plainText).join(' ');
  const key = `conversation.kind.${m.type}`;
  const kind = translate(key);
  return kind === key ? translate('conversation.kind.unsupported') : kind;
}

function TickIcon(props: { tick: Tick }): ReactNode {
  const t = useT();
  if (props.tick === 'none') return null;
  const label = t(`conversation.status.${props.tick}`);
  const path = props.tick === 'queued'
    ? <><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" /><path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" /></>
    : props.tick === 'failed'
      ? <><circle cx="8" cy="8" r="7" fill="currentColor" /><path d="M8 4v5M8 11v1" stroke="#fff" strokeWidth="1.8" /></>
      : props.tick === 'sent'
        ? <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="1.6" />
        : <path d="M1 8.5l3 3 7-7M6.5 11.5l7-7" fill="none" stroke="currentColor" strokeWidth="1.6" />;
  return (
    <svg className={`${styles.tick} ${styles[props.tick]}`} viewBox="0 0 16 16" width="16" height="16" role="img" aria-label={label} data-tick={props.tick}>
      <title>{label}</title>{path}
    </svg>
  );
}

function Referral(props: { referral: Content }): ReactNode {
  const t = useT();
  const r = props.referral;
  const url = str(r['sourceUrl']);
  const source = t(str(r['sourceType']) === 'ad' ? 'conversation.referral.ad' : 'conversation.referral.post');
  return (
    <div className={styles.referral}>
      <div className={styles.referralSource}>{source}</div>
      {str(r['headline']) && <div className={styles.referralHeadline}>{str(r['headline'])}</div>}
      {str(r['body']) && <div>{str(r['body'])}</div>}
      {url && /^https?:\/\//i.test(url) && <a href={url} target="_blank" rel="noopener noreferrer">{t('conversation.referral.open')}</a>}
    </div>
  );
}

function Quote(props: { quoted: Message | undefined; onJump: (id: string) => void }): ReactNode {
  const t = useT();
  const q = props.quoted;
  const who = q ? t(q.direction === 'in' ? 'conversation.author.customer' : 'conversation.author.business') : '';
  return (
    <button type="button" className={styles.quote} disabled={!q} onClick={() => q && props.onJump(q.id)}>
      {q ? <><span className={styles.quoteWho}>{who}</span><span className={styles.quoteText}>{summaryOf(q)}</span></>
        : <span className={styles.quoteText}>{t('conversation.quote.missing')}</span>}
    </button>
  );
}

export function MessageBubble(props: { message: Message; quoted: Message | undefined; reactions: ReactionChip[]; onJump: (id: string) => void }): ReactNode {
  const t = useT();
  const m = props.message;
  const c = contentOf(m);
  const tick = tickOf(m);
  const failure = failureOf(m);
  const referral = typeof c['referral'] === 'object' && c['referral'] !== null ? (c['referral'] as Content) : null;
  const quoted = m.replyToMessageId !== null || m.replyToWamid !== null;
  const side = m.direction === 'in' ? styles.in : styles.out;
  return (
    <div className={`${styles.row} ${side}`} data-message-id={m.id} data-direction={m.direction} data-type={m.type} data-status={m.status}>
      <div className={`${styles.bubble} ${failure ? styles.failedBubble : ''}`}>
        {c['forwarded'] === true && <div className={styles.forwarded}>↪ {t(c['frequentlyForwarded'] === true ? 'conversation.forwardedMany' : 'conversation.forwarded')}</div>}
        {referral && <Referral referral={referral} />}
        {quoted && <Quote quoted={props.quoted} onJump={props.onJump} />}
        <MessageBody message={m} />
        <MessageActions message={m} ourReaction={props.reactions.find((r) => r.from === 'out')?.emoji ?? null} />
        <div className={styles.meta}>
          <time dateTime={new Date(m.createdAt).toISOString()} title={formatDateTime(m.createdAt)}>{formatTime(m.createdAt)}</time>
          <TickIcon tick={tick} />
        </div>
        {failure && (
          <div className={styles.failure} role="note">
            <strong>{t(failure.denied ? 'conversation.deny.title' : 'conversation.error.title')}</strong>{' '}
            {t(failure.key)}
            {failure.code !== null && <span className={styles.code}> ({failure.code}{failure.detail ? `: ${failure.detail}` : ''})</span>}
            {failure.code === null && failure.detail && <span className={styles.code}> ({failure.detail})</span>}
          </div>
        )}
      </div>
      {props.reactions.length > 0 && (
        <div className={styles.reactions} aria-label={t('conversation.reactions')}>
          {props.reactions.map((r) => (
            <span key={r.from} className={styles.reaction} title={t(r.from === 'in' ? 'conversation.author.customer' : 'conversation.author.business')}>{r.emoji}</span>
          ))}
        </div>
      )}
    </div>
  );
}
