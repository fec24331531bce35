// Parley's domain model of an outbound message (camelCase), independent of Meta's wire shape, plus
// the content limits Meta enforces, checked before anything is stored or sent.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages

export interface MediaSource {
  /** Parley's media id (`id` from POST /api/v1/media); the `metaMediaId` of a Parley upload is accepted too. */
  mediaId?: string;
  /** Meta's media id for the sending inbox, set when the message is sent (services/media resolveContentMedia). */
  metaMediaId?: string;
  /** Public https URL Meta fetches. */
  link?: string;
}

export interface ContactCard {
  name: { formattedName: string; firstName?: string; lastName?: string; middleName?: string; suffix?: string; prefix?: string };
  phones?: Array<{ phone?: string; type?: string; waId?: string }>;
  emails?: Array<{ email?: string; type?: string }>;
  urls?: Array<{ url?: string; type?: string }>;
  addresses?: Array<{ street?: string; city?: string; state?: string; zip?: string; country?: string; countryCode?: string; type?: string }>;
  org?: { company?: string; department?: string; title?: string };
  birthday?: string;
}

export type InteractiveHeader =
  | { type: 'text'; text: string }
  | ({ type: 'image' | 'video' | 'document' } & MediaSource);

interface InteractiveBase { body: string; header?: InteractiveHeader; footer?: string }

/** A template parameter; `paramName` makes it a named parameter ({{first_name}}). */
export type TemplateParam =
  | { type: 'text'; text: string; paramName?: string }
  | { type: 'currency'; fallback: string; code: string; amount1000: number; paramName?: string }
  | { type: 'date_time'; fallback: string; paramName?: string }
  | ({ type: 'image' | 'video' | 'document'; filename?: string } & MediaSource)
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string };

export type TemplateButtonParam =
  | { index: number; subType: 'quick_reply'; payload: string }
  | { index: number; subType: 'url'; text: string }
  | { index: number; subType: 'copy_code'; couponCode: string };

export interface TemplateContent {
  type: 'template';
  name: string;
  /** Template language code as approved ('en_US', 'ru'). */
  language: string;
  header?: TemplateParam[];
  body?: TemplateParam[];
  buttons?: TemplateButtonParam[];
}

export type OutboundContent =
  | { type: 'text'; body: string; previewUrl?: boolean }
  | ({ type: 'image' | 'video'; caption?: string } & MediaSource)
  | ({ type: 'audio'; voice?: boolean } & MediaSource)
  | ({ type: 'document'; caption?: string; filename?: string } & MediaSource)
  | ({ type: 'sticker' } & MediaSource)
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contacts'; contacts: ContactCard[] }
  /** `emoji: ''` removes our reaction. */
  | { type: 'reaction'; messageWamid: string; emoji: string }
  | (InteractiveBase & { type: 'buttons'; buttons: Array<{ id: string; title: string }> })
  | (InteractiveBase & { type: 'list'; buttonText: string; sections: Array<{ title?: string; rows: Array<{ id: string; title: string; description?: string }> }> })
  | (InteractiveBase & { type: 'cta_url'; displayText: string; url: string })
  | TemplateContent;

export type OutboundType = OutboundContent['type'];

export const OUTBOUND_TYPES: readonly OutboundType[] = [
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'reaction',
  'buttons', 'list', 'cta_url', 'template',
];

/** A message Parley is about to send: our id, the recipient, the content and an optional quoted message. */
export interface OutboundMessage {
  /** Parley's message id; echoed back by Meta as biz_opaque_callback_data. */
  id: string;
  /** Recipient wa_id or E.164. */
  to: string;
  content: OutboundContent;
  replyToWamid?: string;
}

export interface ContentIssue { code: string; message: string; path: string }

/** Meta's documented limits (send-messages reference). */
export const CONTENT_LIMITS = {
  textBody: 4096, caption: 1024, interactiveBody: 1024, listBody: 4096, header: 60, footer: 60,
  buttonTitle: 20, buttonId: 256, maxButtons: 3, listButton: 20, sectionTitle: 24, rowTitle: 24,
  rowDescription: 72, rowId: 200, maxRows: 10, maxSections: 10, ctaDisplayText: 20,
} as const;

function len(s: string): number {
  return [...s].length; // characters, not UTF-16 units: an emoji is one character to a reader
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** One grapheme with a pictographic code point (ZWJ families, flags and keycaps are one grapheme): Meta takes one emoji. */
function isSingleEmojiLike(s: string): boolean {
  return [...GRAPHEMES.segment(s)].length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u.test(s) && !/\s/.test(s);
}

function issue(code: string, path: string, message: string): ContentIssue {
  return { code, path, message };
}

function checkMaxLength(issues: ContentIssue[], value: string | undefined, max: number, path: string): void {
  if (value !== undefined && len(value) > max) issues.push(issue('content_too_long', path, `${path} is longer than ${max} characters`));
}

function checkRequired(issues: ContentIssue[], value: string | undefined, path: string): void {
  if (value === undefined || value.trim() === '') issues.push(issue('content_required', path, `${path} is required`));
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

function checkMedia(issues: ContentIssue[], media: MediaSource, path: string): void {
  if (!media.mediaId && !media.link) issues.push(issue('media_source_missing', path, `${path} needs a mediaId or a link`));
  if (media.mediaId && media.link) issues.push(issue('media_source_ambiguous', path, `${path} takes a mediaId or a link, not both`));
  if (media.link && !isHttpUrl(media.link)) issues.push(issue('media_link_invalid', `${path}.link`, 'link must be an http(s) URL'));
}

function checkInteractive(issues: ContentIssue[], c: InteractiveBase, bodyMax: number): void {
  checkRequired(issues, c.body, 'body');
  checkMaxLength(issues, c.body, bodyMax, 'body');
  checkMaxLength(issues, c.footer, CONTENT_LIMITS.footer, 'footer');
  if (c.header?.type === 'text') {
    checkRequired(issues, c.header.text, 'header.text');
    checkMaxLength(issues, c.header.text, CONTENT_LIMITS.header, 'header.text');
  }
  else if (c.header) checkMedia(issues, c.header, 'header');
}

function checkButtons(issues: ContentIssue[], buttons: Array<{ id: string; title: string }>): void {
  const L = CONTENT_LIMITS;
  if (buttons.length < 1 || buttons.length > L.maxButtons) issues.push(issue('buttons_count', 'buttons', `1 to ${L.maxButtons} reply buttons are allowed`));
  const titles = new Set<string>();
  const ids = new Set<string>();
  buttons.forEach((b, i) => {
    checkRequired(issues, b.title, `buttons[${i}].title`);
    checkMaxLength(issues, b.title, L.buttonTitle, `buttons[${i}].title`);
    checkRequired(issues, b.id, `buttons[${i}].id`);
    checkMaxLength(issues, b.id, L.buttonId, `buttons[${i}].id`);
    if (b.id !== b.id.trim()) issues.push(issue('button_id_spaces', `buttons[${i}].id`, 'button ids cannot start or end with spaces'));
    if (titles.has(b.title)) issues.push(issue('button_title_duplicate', `buttons[${i}].title`, 'button titles must be unique'));
    if (ids.has(b.id)) issues.push(issue('button_id_duplicate', `buttons[${i}].id`, 'button ids must be unique'));
    titles.add(b.title);
    ids.add(b.id);
  });
}

function checkList(issues: ContentIssue[], c: Extract<OutboundContent, { type: 'list' }>): void {
  const L = CONTENT_LIMITS;
  checkRequired(issues, c.buttonText, 'buttonText');
  checkMaxLength(issues, c.buttonText, L.listButton, 'buttonText');
  if (c.header && c.header.type !== 'text') issues.push(issue('list_header_type', 'header', 'a list takes a text header only'));
  if (c.sections.length < 1 || c.sections.length > L.maxSections) issues.push(issue('list_sections_count', 'sections', `1 to ${L.maxSections} sections are allowed`));
  const rows = c.sections.reduce((n, s) => n + s.rows.length, 0);
  if (rows < 1 || rows > L.maxRows) issues.push(issue('list_rows_count', 'sections', `1 to ${L.maxRows} rows in total are allowed`));
  const ids = new Set<string>();
  c.sections.forEach((s, i) => {
    if (c.sections.length > 1) checkRequired(issues, s.title, `sections[${i}].title`);
    checkMaxLength(issues, s.title, L.sectionTitle, `sections[${i}].title`);
    s.rows.forEach((r, j) => {
      const p = `sections[${i}].rows[${j}]`;
      checkRequired(issues, r.id, `${p}.id`);
      checkMaxLength(issues, r.id, L.rowId, `${p}.id`);
      checkRequired(issues, r.title, `${p}.title`);
      checkMaxLength(issues, r.title, L.rowTitle, `${p}.title`);
      checkMaxLength(issues, r.description, L.rowDescription, `${p}.description`);
      if (ids.has(r.id)) issues.push(issue('list_row_id_duplicate', `${p}.id`, 'row ids must be unique'));
      ids.add(r.id);
    });
  });
}

const NAME_PARTS = ['firstName', 'lastName', 'middleName', 'suffix', 'prefix'] as const;

/**
 * Meta needs `formatted_name` and at least one other name part, or the send fails with 131008.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/contacts-messages
 */
function checkContactName(issues: ContentIssue[], name: ContactCard['name'] | undefined, path: string): void {
  checkRequired(issues, name?.formattedName, `${path}.formattedName`);
  if (!NAME_PARTS.some((p) => (name?.[p] ?? '').trim() !== '')) {
    issues.push(issue('contact_name_part_missing', path, `${path} needs one of ${NAME_PARTS.join(', ')} besides formattedName`));
  }
}

/** Meta refuses template text parameters with new lines, tabs or more than 4 consecutive spaces. */
function checkTemplateTexts(issues: ContentIssue[], t: TemplateContent): void {
  for (const [part, params] of [['header', t.header], ['body', t.body]] as const) {
    (params ?? []).forEach((p, i) => {
      if (p.type === 'text' && /[\n\t]| {5,}/.test(p.text)) {
        issues.push(issue('template_param_layout', `${part}[${i}].text`, `${part}[${i}].text cannot have new lines, tabs or more than 4 consecutive spaces`));
      }
    });
  }
}

/** Check content against Meta's documented limits. Returns [] when it may be sent as far as shape goes. */
export function checkOutboundContent(content: OutboundContent): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const L = CONTENT_LIMITS;
  switch (content.type) {
    case 'text':
      checkRequired(issues, content.body, 'body');
      checkMaxLength(issues, content.body, L.textBody, 'body');
      break;
    case 'image': case 'video': case 'document':
      checkMedia(issues, content, content.type);
      checkMaxLength(issues, content.caption, L.caption, 'caption');
      break;
    case 'audio': case 'sticker':
      checkMedia(issues, content, content.type);
      break;
    case 'location':
      if (!(Math.abs(content.latitude) <= 90) || !(Math.abs(content.longitude) <= 180)) {
        issues.push(issue('location_invalid', 'location', 'latitude must be within ±90 and longitude within ±180'));
      }
      break;
    case 'contacts':
      if (content.contacts.length === 0) issues.push(issue('contacts_empty', 'contacts', 'at least one contact card is required'));
      content.contacts.forEach((c, i) => checkContactName(issues, c.name, `contacts[${i}].name`));
      break;
    case 'reaction':
      checkRequired(issues, content.messageWamid, 'messageWamid');
      if (content.emoji !== '' && !isSingleEmojiLike(content.emoji)) {
        issues.push(issue('reaction_emoji_invalid', 'emoji', 'emoji must be one emoji, or empty to remove the reaction'));
      }
      break;
    case 'buttons':
      checkInteractive(issues, content, L.interactiveBody);
      checkButtons(issues, content.buttons);
      break;
    case 'list':
      checkInteractive(issues, content, L.listBody);
      checkList(issues, content);
      break;
    case 'cta_url':
      checkInteractive(issues, content, L.interactiveBody);
      checkRequired(issues, content.displayText, 'displayText');
      checkMaxLength(issues, content.displayText, L.ctaDisplayText, 'displayText');
      if (!/^https?:\/\/\S+$/i.test(content.url)) issues.push(issue('cta_url_invalid', 'url', 'url must be an http(s) URL'));
      break;
    case 'template':
      checkRequired(issues, content.name, 'name');
      checkRequired(issues, content.language, 'language');
      checkTemplateTexts(issues, content);
      break;
  }
  return issues;
}
