// Domain outbound message → Meta's wire `SendMessageRequest` (snake_case happens here and only here).
import type {
  SendMessageRequest, SendType, WireContactCard, WireInteractive, WireInteractiveHeader, WireMedia,
  WireTemplateComponentParams, WireTemplateParameter,
} from '../cloudapi/wire.js';
import type {
  ContactCard, InteractiveHeader, MediaSource, OutboundContent, OutboundMessage, TemplateButtonParam, TemplateContent, TemplateParam,
} from './message-content.js';

/** Meta's `type` for a domain content type (buttons, list and cta_url are all `interactive`). */
export function wireTypeOf(content: OutboundContent): SendType {
  switch (content.type) {
    case 'buttons': case 'list': case 'cta_url': return 'interactive';
    default: return content.type;
  }
}

function media(source: MediaSource, extra: Omit<WireMedia, 'id' | 'link'> = {}): WireMedia {
  // The Meta id resolved at send time; older stored messages carry only mediaId (then a Meta id).
  const id = source.metaMediaId ?? source.mediaId;
  const out: WireMedia = id ? { id } : { link: source.link ?? '' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function contactCard(c: ContactCard): WireContactCard {
  const n = c.name;
  const card: WireContactCard = {
    name: strip({ formatted_name: n.formattedName, first_name: n.firstName, last_name: n.lastName, middle_name: n.middleName, suffix: n.suffix, prefix: n.prefix }),
  };
  if (c.phones) card.phones = c.phones.map((p) => strip({ phone: p.phone, type: p.type, wa_id: p.waId }));
  if (c.emails) card.emails = c.emails.map((e) => strip({ email: e.email, type: e.type }));
  if (c.urls) card.urls = c.urls.map((u) => strip({ url: u.url, type: u.type }));
  if (c.addresses) {
    card.addresses = c.addresses.map((a) => strip({ street: a.street, city: a.city, state: a.state, zip: a.zip, country: a.country, country_code: a.countryCode, type: a.type }));
  }
  if (c.org) card.org = strip({ ...c.org });
  if (c.birthday) card.birthday = c.birthday;
  return card;
}

/** Drop undefined keys so the JSON sent is exactly what was given. */
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function interactiveHeader(h: InteractiveHeader): WireInteractiveHeader {
  if (h.type === 'text') return { type: 'text', text: h.text };
  return { type: h.type, [h.type]: media(h) };
}

function interactive(content: Extract<OutboundContent, { type: 'buttons' | 'list' | 'cta_url' }>): WireInteractive {
  const base = {
    ...(content.header ? { header: interactiveHeader(content.header) } : {}),
    body: { text: content.body },
    ...(content.footer ? { footer: { text: content.footer } } : {}),
  };
  switch (content.type) {
    case 'buttons':
      return { type: 'button', ...base, action: { buttons: content.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) } };
    case 'list':
      return {
        type: 'list', ...base,
        action: {
          button: content.buttonText,
          sections: content.sections.map((s) => strip({ title: s.title, rows: s.rows.map((r) => strip({ id: r.id, title: r.title, description: r.description })) })),
        },
      };
    case 'cta_url':
      return { type: 'cta_url', ...base, action: { name: 'cta_url', parameters: { display_text: content.displayText, url: content.url } } };
  }
}

function templateParam(p: TemplateParam): WireTemplateParameter {
  switch (p.type) {
    case 'text': return strip<WireTemplateParameter>({ type: 'text', text: p.text, parameter_name: p.paramName });
    case 'currency':
      return strip<WireTemplateParameter>({ type: 'currency', currency: { fallback_value: p.fallback, code: p.code, amount_1000: p.amount1000 }, parameter_name: p.paramName });
    case 'date_time': return strip<WireTemplateParameter>({ type: 'date_time', date_time: { fallback_value: p.fallback }, parameter_name: p.paramName });
    case 'location': return { type: 'location', location: strip({ latitude: p.latitude, longitude: p.longitude, name: p.name, address: p.address }) };
    default: return { type: p.type, [p.type]: media(p, p.type === 'document' ? { filename: p.filename } : {}) };
  }
}

function buttonComponent(b: TemplateButtonParam): WireTemplateComponentParams {
  const index = String(b.index);
  switch (b.subType) {
    case 'quick_reply': return { type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: b.payload }] };
    case 'url': return { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: b.text }] };
    case 'copy_code': return { type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: b.couponCode }] };
  }
}

/** Template send body. Components with no parameters are omitted (Meta rejects empty parameter lists). */
export function templateToWire(t: TemplateContent): NonNullable<SendMessageRequest['template']> {
  const components: WireTemplateComponentParams[] = [];
  if (t.header?.length) components.push({ type: 'header', parameters: t.header.map(templateParam) });
  if (t.body?.length) components.push({ type: 'body', parameters: t.body.map(templateParam) });
  for (const b of t.buttons ?? []) components.push(buttonComponent(b));
  return { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) };
}

function contentFields(c: OutboundContent): Partial<SendMessageRequest> {
  switch (c.type) {
    case 'text': return { text: c.previewUrl === undefined ? { body: c.body } : { body: c.body, preview_url: c.previewUrl } };
    case 'image': case 'video': return { [c.type]: media(c, { caption: c.caption }) };
    case 'document': return { document: media(c, { caption: c.caption, filename: c.filename }) };
    case 'audio': return { audio: media(c, { voice: c.voice }) };
    case 'sticker': return { sticker: media(c) };
    case 'location': return { location: strip({ latitude: c.latitude, longitude: c.longitude, name: c.name, address: c.address }) };
    case 'contacts': return { contacts: c.contacts.map(contactCard) };
    case 'reaction': return { reaction: { message_id: c.messageWamid, emoji: c.emoji } };
    case 'buttons': case 'list': case 'cta_url': return { interactive: interactive(c) };
    case 'template': return { template: templateToWire(c) };
  }
}

/**
 * Build the Cloud API request. `biz_opaque_callback_data` carries our message id: Meta echoes it on
 * every status webhook, so a message whose send response was lost in a crash is still reconciled
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status).
 */
export function toSendMessageRequest(message: OutboundMessage): SendMessageRequest {
  const request: SendMessageRequest = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    type: wireTypeOf(message.content),
    biz_opaque_callback_data: message.id,
  };
  // A reaction already names its target; Meta takes `context` only for quoted replies.
  if (message.replyToWamid && message.content.type !== 'reaction') request.context = { message_id: message.replyToWamid };
  return { ...request, ...contentFields(message.content) };
}
