// Template helpers: placeholders of a stored template, whether send parameters match it, and a
// rendered preview. Linting drafts against Meta's rejection rules lives in template-lint.ts.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/overview
import type { TemplateCategory, TemplateStatus, WireTemplateComponent } from '../cloudapi/wire.js';
import type { TemplateButtonParam, TemplateContent, TemplateParam } from './message-content.js';

/** A template as Parley stores it (synced from Meta; components keep Meta's shape). */
export interface StoredTemplate {
  name: string;
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  parameterFormat: 'NAMED' | 'POSITIONAL';
  components: WireTemplateComponent[];
  /** When a PAUSED template unpauses by itself (3 h, then 6 h), if known. */
  pausedUntil?: number | null;
}

export interface TemplateIssue { code: string; message: string }

export interface Placeholder {
  /** '1' for {{1}}, 'first_name' for {{first_name}}. */
  key: string;
  kind: 'positional' | 'named' | 'invalid';
  raw: string;
  start: number;
  end: number;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Every {{…}} in a text, in order (repeats included). */
export function listPlaceholders(text: string | undefined): Placeholder[] {
  if (!text) return [];
  const out: Placeholder[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const key = (m[1] ?? '').trim();
    const kind = /^\d+$/.test(key) ? 'positional' : /^[a-z_][a-z0-9_]*$/.test(key) ? 'named' : 'invalid';
    out.push({ key, kind, raw: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return out;
}

/** Distinct placeholder keys in order of first appearance. */
export function placeholderKeys(text: string | undefined): string[] {
  return [...new Set(listPlaceholders(text).map((p) => p.key))];
}

export interface TemplateSpec {
  header: { format: string; keys: string[] } | null;
  body: string[];
  buttons: Array<{ index: number; type: string; keys: string[] }>;
}

function component(t: { components: WireTemplateComponent[] }, type: string): WireTemplateComponent | undefined {
  return t.components.find((c) => String(c.type).toUpperCase() === type);
}

/** What a send must supply: header (text keys or a media format), body keys, and per-button variables. */
export function templateSpec(template: Pick<StoredTemplate, 'components'>): TemplateSpec {
  const header = component(template, 'HEADER');
  const format = String(header?.format ?? 'TEXT').toUpperCase();
  const buttons = (component(template, 'BUTTONS')?.buttons ?? []).map((b, index) => ({
    index, type: String(b.type).toUpperCase(),
    keys: String(b.type).toUpperCase() === 'COPY_CODE' ? ['coupon_code'] : placeholderKeys(b.url),
  }));
  return {
    header: header ? { format, keys: format === 'TEXT' ? placeholderKeys(header.text) : [] } : null,
    body: placeholderKeys(component(template, 'BODY')?.text),
    buttons,
  };
}

const MEDIA_FORMATS = new Set(['IMAGE', 'VIDEO', 'DOCUMENT', 'GIF']);

function checkTextParams(where: 'header' | 'body', keys: string[], params: TemplateParam[], named: boolean, max: number): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  if (params.length !== keys.length) {
    issues.push({ code: `${where}_param_count`, message: `${where} expects ${keys.length} parameter(s), got ${params.length}` });
  }
  params.forEach((p, i) => {
    if (p.type !== 'text' && p.type !== 'currency' && p.type !== 'date_time') {
      issues.push({ code: 'param_type_invalid', message: `${where} parameter ${i + 1} cannot be of type ${p.type}` });
      return;
    }
    if (named && !p.paramName) issues.push({ code: 'named_param_expected', message: `${where} parameter ${i + 1} needs a paramName (template uses named parameters)` });
    if (!named && p.paramName) issues.push({ code: 'positional_param_expected', message: `${where} parameter ${i + 1} must not have a paramName (template uses positional parameters)` });
    if (p.type === 'text' && p.text.trim() === '') issues.push({ code: 'param_empty', message: `${where} parameter ${i + 1} is empty` });
    if (p.type === 'text' && [...p.text].length > max) issues.push({ code: 'param_too_long', message: `${where} parameter ${i + 1} is longer than ${max} characters` });
  });
  if (named) {
    const given = new Set(params.map((p) => ('paramName' in p ? p.paramName : undefined)).filter((n): n is string => !!n));
    for (const k of keys) if (!given.has(k)) issues.push({ code: 'named_param_missing', message: `${where} parameter {{${k}}} is missing` });
    for (const g of given) if (!keys.includes(g)) issues.push({ code: 'named_param_unknown', message: `${where} has no parameter {{${g}}}` });
  }
  return issues;
}

function checkHeader(spec: TemplateSpec, params: TemplateParam[], named: boolean): TemplateIssue[] {
  const format = spec.header?.format;
  if (!format || format === 'TEXT') return checkTextParams('header', spec.header?.keys ?? [], params, named, 60);
  const want = format === 'GIF' ? 'video' : format.toLowerCase();
  if (params.length !== 1) return [{ code: 'header_param_count', message: `header expects 1 ${want} parameter, got ${params.length}` }];
  const p = params[0]!;
  if (p.type !== want) return [{ code: 'header_media_type', message: `header expects ${want}, got ${p.type}` }];
  const source = p as { mediaId?: string; link?: string };
  if (MEDIA_FORMATS.has(format) && !source.mediaId && !source.link) {
    return [{ code: 'header_media_missing', message: 'header media needs a mediaId or a link' }];
  }
  return [];
}

const BUTTON_SUBTYPE: Readonly<Record<string, TemplateButtonParam['subType']>> = { URL: 'url', COPY_CODE: 'copy_code', QUICK_REPLY: 'quick_reply' };

function checkButtons(spec: TemplateSpec, params: TemplateButtonParam[]): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const b of spec.buttons) {
    const given = params.filter((p) => p.index === b.index);
    if (b.keys.length > 0 && given.length === 0) issues.push({ code: 'button_param_missing', message: `button ${b.index} (${b.type}) needs a parameter` });
    if (given.length > 1) issues.push({ code: 'button_param_duplicate', message: `button ${b.index} has more than one parameter` });
  }
  for (const p of params) {
    const b = spec.buttons.find((x) => x.index === p.index);
    if (!b) issues.push({ code: 'button_param_unknown', message: `template has no button ${p.index}` });
    else if (BUTTON_SUBTYPE[b.type] !== p.subType || (p.subType === 'url' && b.keys.length === 0)) {
      issues.push({ code: 'button_param_type', message: `button ${p.index} is ${b.type} and takes no ${p.subType} parameter` });
    }
  }
  return issues;
}

/**
 * Do the send parameters match the stored template? Meta rejects mismatches with 132000 (count) or
 * 132012 (format): https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */
export function checkTemplateParams(template: StoredTemplate, content: Pick<TemplateContent, 'header' | 'body' | 'buttons'>): TemplateIssue[] {
  const spec = templateSpec(template);
  const named = template.parameterFormat === 'NAMED';
  const body = spec.body;
  // A body that is the only component may take up to 32,768 characters per parameter.
  const bodyMax = template.components.length === 1 ? 32_768 : 1024;
  return [
    ...checkHeader(spec, content.header ?? [], named),
    ...checkTextParams('body', body, content.body ?? [], named, bodyMax),
    ...checkButtons(spec, content.buttons ?? []),
  ];
}

function paramText(p: TemplateParam): string {
  switch (p.type) {
    case 'text': return p.text;
    case 'currency': case 'date_time': return p.fallback;
    default: return `[${p.type}]`;
  }
}

/** Named values match by name; positional {{n}} takes the n-th value, as Meta fills them. */
function fill(text: string, params: TemplateParam[], named: boolean): string {
  return text.replace(PLACEHOLDER, (raw, inner: string) => {
    const key = inner.trim();
    const p = named ? params.find((x) => 'paramName' in x && x.paramName === key) : params[Number(key) - 1];
    return p ? paramText(p) : raw;
  });
}

export interface TemplatePreview {
  header?: { type: 'text'; text: string } | { type: string; param?: TemplateParam };
  body: string;
  footer?: string;
  buttons: Array<{ type: string; text: string; url?: string }>;
}

/** Render a preview with parameters; missing ones stay as {{…}} so the operator sees the gap. */
export function renderTemplate(template: StoredTemplate, content: Pick<TemplateContent, 'header' | 'body' | 'buttons'>): TemplatePreview {
  const named = template.parameterFormat === 'NAMED';
  const header = component(template, 'HEADER');
  const footer = component(template, 'FOOTER');
  const preview: TemplatePreview = { body: fill(component(template, 'BODY')?.text ?? '', content.body ?? [], named), buttons: [] };
  if (header) {
    const format = String(header.format ?? 'TEXT').toUpperCase();
    preview.header = format === 'TEXT'
      ? { type: 'text', text: fill(header.text ?? '', content.header ?? [], named) }
      : { type: format.toLowerCase(), ...(content.header?.[0] ? { param: content.header[0] } : {}) };
  }
  if (footer?.text) preview.footer = footer.text;
  (component(template, 'BUTTONS')?.buttons ?? []).forEach((b, index) => {
    const p = content.buttons?.find((x) => x.index === index);
    const url = b.url && p?.subType === 'url' ? b.url.replace(PLACEHOLDER, p.text) : b.url;
    preview.buttons.push({ type: String(b.type), text: b.text ?? '', ...(url ? { url } : {}) });
  });
  return preview;
}

/**
 * The template status a message_template_status_update event leaves: FLAGGED is only a warning and
 * LIMIT_EXCEEDED concerns the account, so neither changes it; REINSTATED and UNARCHIVED make it
 * sendable again; every other event names the new status.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update
 */
export function templateStatusAfterEvent(event: string): string | undefined {
  switch (event) {
    case 'FLAGGED': case 'LIMIT_EXCEEDED': return undefined;
    case 'REINSTATED': case 'UNARCHIVED': return 'APPROVED';
    default: return event;
  }
}
