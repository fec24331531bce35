// The inside of a message bubble, per type: text, media (image/video open full size, audio and voice
// notes play, documents download), sticker, location, contact cards, replies, interactive and
// template messages, orders, system and unsupported messages. Customer text renders through FormattedText.

import { useState, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { FormattedText } from './formatted-text.js';
import { DocumentCard } from './document-card.js';
import { Icon } from './icons.js';
import { MediaViewer } from './media-viewer.js';
import type { Message } from './conversation-store.js';
import { TemplateBody } from './template-body.js';
import styles from './message-body.module.css';

export type Content = Record<string, unknown>;

export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): Content[] => (Array.isArray(v) ? v.filter((x): x is Content => typeof x === 'object' && x !== null) : []);

export function contentOf(m: Pick<Message, 'content'>): Content {
  return typeof m.content === 'object' && m.content !== null ? (m.content as Content) : {};
}

/** Where the browser loads a message's file: Parley's copy (session cookie), else an http(s) link. */
export function mediaUrl(m: Pick<Message, 'mediaId' | 'content' | 'direction'>): string | null {
  const c = contentOf(m);
  // An inbound content's mediaId is Meta's; Parley's copy is the message's mediaId once downloaded.
  const id = m.mediaId ?? (m.direction === 'out' ? str(c['mediaId']) : null);
  if (id) return `/api/v1/media/${encodeURIComponent(id)}/content`;
  const link = str(c['link']);
  return link && /^https?:\/\//i.test(link) ? link : null;
}

function Caption(props: { c: Content }): ReactNode {
  const caption = str(props.c['caption']);
  return caption ? <FormattedText text={caption} /> : null;
}

function Missing(props: { label: string }): ReactNode {
  return <div className={styles.missing}>{props.label}</div>;
}

function Visual(props: { m: Message; c: Content; kind: 'image' | 'video' }): ReactNode {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [broken, setBroken] = useState<string | null>(null);
  const found = mediaUrl(props.m);
  const url = found === broken ? null : found;
  if (!url) return <><Missing label={t(`conversation.media.${props.kind}Missing`)} /><Caption c={props.c} /></>;
  const label = t(props.kind === 'image' ? 'conversation.media.openImage' : 'conversation.media.openVideo');
  return (
    <>
      <button type="button" className={styles.thumb} onClick={() => setOpen(true)} aria-label={label} title={label}>
        {props.kind === 'image'
          ? <img src={url} alt={str(props.c['caption']) ?? t('conversation.media.image')} loading="lazy" onError={() => setBroken(url)} />
          : <video src={url} preload="metadata" muted aria-hidden="true" tabIndex={-1} onError={() => setBroken(url)} />}
        {props.kind === 'video' && <span className={styles.play} aria-hidden="true">▶</span>}
      </button>
      <Caption c={props.c} />
      {open && <MediaViewer kind={props.kind} url={url} caption={str(props.c['caption'])} onClose={() => setOpen(false)} />}
    </>
  );
}

function Audio(props: { m: Message; c: Content }): ReactNode {
  const t = useT();
  const url = mediaUrl(props.m);
  const voice = props.c['voice'] === true;
  return (
    <div className={styles.audio}>
      <span className={styles.label}><Icon name={voice ? 'mic' : 'note'} /> {t(voice ? 'conversation.media.voice' : 'conversation.media.audio')}</span>
      {url ? <audio controls preload="metadata" src={url} aria-label={t(voice ? 'conversation.media.voice' : 'conversation.media.audio')} /> : <Missing label={t('conversation.media.audioMissing')} />}
    </div>
  );
}

function Sticker(props: { m: Message }): ReactNode {
  const t = useT();
  const [broken, setBroken] = useState<string | null>(null);
  const found = mediaUrl(props.m);
  const url = found === broken ? null : found;
  return url
    ? <img className={styles.sticker} src={url} alt={t('conversation.media.sticker')} loading="lazy" onError={() => setBroken(url)} />
    : <Missing label={t('conversation.media.sticker')} />;
}

function Location(props: { c: Content }): ReactNode {
  const t = useT();
  const lat = num(props.c['latitude']);
  const lon = num(props.c['longitude']);
  const name = str(props.c['name']);
  const address = str(props.c['address']);
  const osm = lat !== null && lon !== null ? `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}` : null;
  return (
    <div className={styles.card}>
      <div className={styles.cardTitle}><Icon name="pin" /> {name ?? t('conversation.location.title')}</div>
      {address && <div>{address}</div>}
      {lat !== null && lon !== null && <div className={styles.muted}>{lat.toFixed(5)}, {lon.toFixed(5)}</div>}
      {osm && <a href={osm} target="_blank" rel="noopener noreferrer">{t('conversation.location.open')}</a>}
    </div>
  );
}

function ContactCards(props: { c: Content }): ReactNode {
  const t = useT();
  return (
    <div className={styles.cards}>
      {list(props.c['contacts']).map((card, i) => {
        const name = (card['name'] ?? {}) as Content;
        const org = (card['org'] ?? {}) as Content;
        return (
          <div key={i} className={styles.card}>
            <div className={styles.cardTitle}><Icon name="person" /> {str(name['formattedName']) ?? t('conversation.contacts.unnamed')}</div>
            {str(org['company']) && <div className={styles.muted}>{[str(org['title']), str(org['company'])].filter(Boolean).join(', ')}</div>}
            {list(card['phones']).map((p, j) => <div key={`p${j}`}>{str(p['phone']) ?? str(p['waId'])}{str(p['type']) ? ` (${str(p['type'])})` : ''}</div>)}
            {list(card['emails']).map((e, j) => <div key={`e${j}`}>{str(e['email'])}</div>)}
          </div>
        );
      })}
    </div>
  );
}

function Choice(props: { title: string | null; description?: string | null; label: string }): ReactNode {
  return (
    <div className={styles.choice}>
      <span className={styles.muted}>{props.label}</span>
      <span className={styles.chosen}>{props.title ?? '—'}</span>
      {props.description && <span className={styles.muted}>{props.description}</span>}
    </div>
  );
}

function Interactive(props: { c: Content; type: string }): ReactNode {
  const c = props.c;
  const header = (c['header'] ?? null) as Content | null;
  const options: string[] = props.type === 'buttons' ? list(c['buttons']).map((b) => str(b['title']) ?? '')
    : props.type === 'list' ? [str(c['buttonText']) ?? ''] : [str(c['displayText']) ?? ''];
  return (
    <div>
      {header && str(header['text']) && <div className={styles.cardTitle}>{str(header['text'])}</div>}
      <FormattedText text={str(c['body']) ?? ''} />
      {str(c['footer']) && <div className={styles.muted}>{str(c['footer'])}</div>}
      <div className={styles.options}>{options.map((o, i) => <span key={i} className={styles.option}>{props.type === 'cta_url' ? '↗ ' : ''}{o}</span>)}</div>
    </div>
  );
}

function Order(props: { c: Content }): ReactNode {
  const t = useT();
  const items = list(props.c['items']);
  return (
    <div className={styles.card}>
      <div className={styles.cardTitle}><Icon name="cart" /> {t('conversation.order.title', { count: items.length })}</div>
      {items.map((it, i) => <div key={i}>{String(it['quantity'] ?? '')} × {str(it['productRetailerId'])} — {String(it['itemPrice'] ?? '')} {str(it['currency'])}</div>)}
      {str(props.c['text']) && <FormattedText text={str(props.c['text'])!} />}
    </div>
  );
}

/** The message's own content (quotes, referrals, reactions and status are the bubble's). */
export function MessageBody(props: { message: Message }): ReactNode {
  const t = useT();
  const m = props.message;
  const c = contentOf(m);
  switch (m.type) {
    case 'text': return <FormattedText text={str(c['body']) ?? ''} />;
    case 'image': case 'video': return <Visual m={m} c={c} kind={m.type} />;
    case 'audio': return <Audio m={m} c={c} />;
    case 'document': return <><DocumentCard url={mediaUrl(m)} filename={str(c['filename'])} /><Caption c={c} /></>;
    case 'sticker': return <Sticker m={m} />;
    case 'location': return <Location c={c} />;
    case 'contacts': return <ContactCards c={c} />;
    case 'button': return <Choice label={t('conversation.reply.button')} title={str(c['text']) ?? str(c['payload'])} />;
    case 'button_reply': return <Choice label={t('conversation.reply.button')} title={str(c['title'])} />;
    case 'list_reply': return <Choice label={t('conversation.reply.list')} title={str(c['title'])} description={str(c['description'])} />;
    case 'nfm_reply': return <Choice label={t('conversation.reply.flow')} title={str(c['body']) ?? str(c['name'])} />;
    case 'buttons': case 'list': case 'cta_url': return <Interactive c={c} type={m.type} />;
    case 'template': return <TemplateBody message={m} />;
    case 'order': return <Order c={c} />;
    case 'reaction': return <span>{str(c['emoji']) ?? ''}</span>;
    case 'system': return <div className={styles.system}>{str(c['body']) ?? t('conversation.system')}</div>;
    default: return (
      <div className={styles.unsupported}>
        {t('conversation.unsupported', { type: str(c['unsupportedType']) ?? m.type })}
      </div>
    );
  }
}
