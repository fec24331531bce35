// Pure format rules for message templates: what Meta refuses at creation (a synchronous Graph
// error) and what its review rejects later as INVALID_FORMAT. One table serves both the create /
// edit routes (first synchronous problem → error) and the review (first problem → REJECTED).
// Limits: https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components

import type { TemplateCategory, WireTemplateButton, WireTemplateComponent } from '../cloudapi/wire.js';

export interface TemplateDraft {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: 'NAMED' | 'POSITIONAL';
  components: WireTemplateComponent[];
  messageSendTtlSeconds?: number;
}

export type RejectionReason =
  | 'INVALID_FORMAT' | 'PROMOTIONAL' | 'INCORRECT_CATEGORY' | 'ABUSIVE_CONTENT' | 'SCAM' | 'TAG_CONTENT_MISMATCH';

export interface TemplateProblem {
  /** Stable id of the rule that failed (tests and logs key on it). */
  rule: string;
  /** Present when Meta refuses this at creation: Graph code 100 with this subcode and title. */
  sync?: { subcode?: number; title: string };
  reason: RejectionReason;
  message: string;
  recommendation: string;
}

export const LIMITS = {
  name: 512, headerText: 60, body: 1024, footer: 60, buttons: 10, urlButtons: 2, phoneButtons: 1,
  copyCodeButtons: 1, buttonText: 25, url: 2000, phoneNumber: 20, copyCode: 15,
} as const;

const FORMAT_TITLE = {
  header: { subcode: 2388047, title: 'Message header formatting error' },
  body: { subcode: 2388072, title: 'Message body formatting error' },
  footer: { subcode: 2388073, title: 'Message footer formatting error' },
  length: { subcode: 2388040, title: 'Field exceeds character limit' },
  invalid: { title: 'Invalid parameter' },
} as const;

/** `{{…}}` occurrences in a text; `raw` is what sits between the braces. */
export interface Variable { raw: string; start: number; end: number }

export function variablesIn(text: string): Variable[] {
  const out: Variable[] = [];
  for (const m of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
    out.push({ raw: m[1] ?? '', start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return out;
}

const POSITIONAL = /^\d+$/;
const NAMED = /^[a-z_][a-z0-9_]*$/;
const URL_IN_TEXT = /\bhttps?:\/\/|\bwww\./i;
const EMOJI = /\p{Extended_Pictographic}/u;
/** Link shorteners Meta's guidelines name (bit.ly, tinyurl, goo.gl) and their common siblings. */
const SHORTENER = /(?<![\w.-])(?:bit\.ly|bitly\.com|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|cutt\.ly|rebrand\.ly|shorturl\.at|tiny\.cc|rb\.gy|t\.ly|v\.gd|s\.id|lnkd\.in|clck\.ru)(?![\w-])/i;

function problem(rule: string, message: string, recommendation: string, sync?: TemplateProblem['sync'], reason: RejectionReason = 'INVALID_FORMAT'): TemplateProblem {
  return { rule, message, recommendation, reason, ...(sync ? { sync } : {}) };
}

export function componentOf(draft: Pick<TemplateDraft, 'components'>, type: string): WireTemplateComponent | undefined {
  return draft.components.find((c) => String(c.type).toUpperCase() === type);
}

/** Every problem with the draft, synchronous ones and review ones, in a stable order. */
export function findTemplateProblems(draft: TemplateDraft): TemplateProblem[] {
  return [
    ...checkIdentity(draft),
    ...checkComponentSet(draft),
    ...checkHeader(draft),
    ...checkBody(draft),
    ...checkFooter(draft),
    ...checkButtons(draft),
    ...checkAuthentication(draft),
    ...checkShorteners(draft),
  ];
}

/** The first problem Meta answers synchronously (create/edit error), if any. */
export function firstSyncProblem(draft: TemplateDraft): TemplateProblem | undefined {
  return findTemplateProblems(draft).find((p) => p.sync);
}

function checkIdentity(d: TemplateDraft): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  if (!/^[a-z0-9_]+$/.test(d.name)) {
    out.push(problem('name_format', 'The message template name can only have lowercase letters, numbers and underscores.',
      'Rename the template using only a-z, 0-9 and _.', { subcode: 2388046, title: 'Name Format is Incorrect' }));
  }
  if (d.name.length > LIMITS.name) {
    out.push(problem('name_length', `The message template name can have at most ${LIMITS.name} characters.`, 'Shorten the name.', FORMAT_TITLE.length));
  }
  if (!/^[a-z]{2,3}(?:_[A-Za-z]{2,4})?$/.test(d.language)) {
    out.push(problem('language', `Language ${d.language} is not a valid template language code (like en_US or ru).`, 'Use a supported locale code.', FORMAT_TITLE.invalid));
  }
  const ttl = d.messageSendTtlSeconds;
  if (ttl !== undefined && !ttlAllowed(d.category, ttl)) {
    out.push(problem('ttl', `message_send_ttl_seconds ${ttl} is out of range for ${d.category} templates.`,
      'Authentication: 30–900 s; utility: 30–43200 s or -1; marketing: 43200–2592000 s.', FORMAT_TITLE.invalid));
  }
  return out;
}

/** Why: TTL ranges per category, https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/time-to-live */
function ttlAllowed(category: TemplateCategory, ttl: number): boolean {
  if (!Number.isInteger(ttl)) return false;
  if (category === 'AUTHENTICATION') return ttl >= 30 && ttl <= 900;
  if (category === 'UTILITY') return ttl === -1 || (ttl >= 30 && ttl <= 43_200);
  return ttl === -1 || (ttl >= 43_200 && ttl <= 2_592_000);
}

function checkComponentSet(d: TemplateDraft): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const seen = new Set<string>();
  for (const c of d.components) {
    const type = String(c.type ?? '').toUpperCase();
    if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(type)) {
      out.push(problem('component_type', `Unknown component type ${String(c.type)}.`, 'Use HEADER, BODY, FOOTER or BUTTONS.', FORMAT_TITLE.invalid));
    } else if (seen.has(type)) {
      out.push(problem('component_duplicate', `A template can have only one ${type} component.`, 'Merge the components.', FORMAT_TITLE.invalid));
    }
    seen.add(type);
  }
  if (!seen.has('BODY')) out.push(problem('body_missing', 'A template needs a BODY component.', 'Add a BODY component.', FORMAT_TITLE.body));
  return out;
}

function checkHeader(d: TemplateDraft): TemplateProblem[] {
  const h = componentOf(d, 'HEADER');
  if (!h) return [];
  const format = String(h.format ?? '').toUpperCase();
  const out: TemplateProblem[] = [];
  if (!['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION', 'GIF'].includes(format)) {
    return [problem('header_format', `Header format ${String(h.format)} is not supported.`, 'Use TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.', FORMAT_TITLE.header)];
  }
  if (format === 'TEXT') {
    const text = h.text ?? '';
    if (text.trim() === '') out.push(problem('header_text_missing', 'A TEXT header needs text.', 'Add header text.', FORMAT_TITLE.header));
    if (text.length > LIMITS.headerText) out.push(problem('header_length', `Header text can have at most ${LIMITS.headerText} characters.`, 'Shorten the header.', FORMAT_TITLE.length));
    const vars = variablesIn(text);
    if (vars.length > 1) out.push(problem('header_variables', 'A header can have at most one variable.', 'Keep one variable in the header.', FORMAT_TITLE.header));
    out.push(...checkVariableNames('header', text, d.parameterFormat));
    if (vars.length === 1 && !hasHeaderExample(h)) {
      out.push(problem('header_example_missing', 'The header variable has no sample value.', 'Add example.header_text with a sample for the variable.'));
    }
  } else if (format === 'LOCATION') {
    if (d.category === 'AUTHENTICATION') out.push(problem('header_location_category', 'Location headers are only for UTILITY and MARKETING templates.', 'Remove the header.', FORMAT_TITLE.header));
  } else {
    if (format === 'GIF' && d.category !== 'MARKETING') out.push(problem('header_gif_category', 'GIF headers are only for MARKETING templates.', 'Use an IMAGE or VIDEO header.', FORMAT_TITLE.header));
    if (!(h.example?.header_handle?.length)) {
      out.push(problem('header_media_example_missing', `A ${format} header needs a sample (example.header_handle).`, 'Upload a sample with the Resumable Upload API and pass its handle.'));
    }
  }
  return out;
}

function hasHeaderExample(h: WireTemplateComponent): boolean {
  return Boolean(h.example?.header_text?.length || h.example?.header_text_named_params?.length);
}

/** Names inside `{{…}}`: digits for POSITIONAL, lowercase snake_case for NAMED; braces must pair up. */
function checkVariableNames(where: string, text: string, format: 'NAMED' | 'POSITIONAL'): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const vars = variablesIn(text);
  const stripped = text.replace(/\{\{[^{}]*\}\}/g, '');
  if (/\{\{|\}\}/.test(stripped) || (text.match(/\{/g)?.length ?? 0) !== (text.match(/\}/g)?.length ?? 0)) {
    out.push(problem(`${where}_braces`, `The ${where} has mismatched braces around a variable.`, 'Write each variable as {{1}} or {{name}}.'));
  }
  for (const v of vars) {
    const name = v.raw;
    if (!POSITIONAL.test(name) && !NAMED.test(name)) {
      out.push(problem(`${where}_variable_characters`, `The ${where} variable {{${name}}} contains special characters.`,
        'Variables may only contain digits (positional) or lowercase letters, digits and underscores (named).'));
    } else if (format === 'POSITIONAL' && !POSITIONAL.test(name)) {
      out.push(problem(`${where}_variable_format`, `Named variable {{${name}}} in a template with parameter_format POSITIONAL.`,
        'Use {{1}}, {{2}}… or set parameter_format to NAMED.', FORMAT_TITLE.invalid));
    } else if (format === 'NAMED' && !NAMED.test(name)) {
      out.push(problem(`${where}_variable_format`, `Positional variable {{${name}}} in a template with parameter_format NAMED.`,
        'Use {{snake_case_names}} or set parameter_format to POSITIONAL.', FORMAT_TITLE.invalid));
    }
  }
  return out;
}

function checkBody(d: TemplateDraft): TemplateProblem[] {
  const b = componentOf(d, 'BODY');
  if (!b) return [];
  const text = b.text ?? '';
  if (d.category === 'AUTHENTICATION') {
    // Authentication bodies are Meta's preset text; only their length matters here.
    return text.length > LIMITS.body ? [problem('body_length', `Body text can have at most ${LIMITS.body} characters.`, 'Shorten the body.', FORMAT_TITLE.length)] : [];
  }
  const out: TemplateProblem[] = [];
  if (text.trim() === '') return [problem('body_text_missing', 'The BODY component needs text.', 'Add body text.', FORMAT_TITLE.body)];
  if (text.length > LIMITS.body) out.push(problem('body_length', `Body text can have at most ${LIMITS.body} characters.`, 'Shorten the body.', FORMAT_TITLE.length));
  out.push(...checkVariableNames('body', text, d.parameterFormat));
  const vars = variablesIn(text);
  if (vars.length === 0) return out;
  out.push(...checkVariablePlacement(text, vars));
  out.push(...checkPositionalSequence(vars, d.parameterFormat));
  if (!bodyExampleCovers(b, vars, d.parameterFormat)) {
    out.push(problem('body_example_missing', 'Some body variables have no sample value.', 'Add example.body_text (positional) or example.body_text_named_params (named) with a sample for every variable.'));
  }
  return out;
}

/**
 * Leading/trailing (2388299) and words-per-variable ratio (2388293) are creation errors; adjacent
 * variables are a review rejection. Why: https://developers.facebook.com/docs/whatsapp/message-templates/guidelines
 * Ratio heuristic (Meta publishes none): the text outside variables must have at least 2·n+1 words.
 */
function checkVariablePlacement(text: string, vars: Variable[]): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{{') || /\}\}$/.test(trimmed)) {
    out.push(problem('body_leading_trailing_variable', 'Variables can\'t be at the start or end of the template.',
      'Add text before the first variable and after the last one.', { subcode: 2388299, title: 'Variables can\'t be at the start or end of the template' }));
  }
  const words = text.replace(/\{\{[^{}]*\}\}/g, ' ').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0).length;
  if (words < 2 * vars.length + 1) {
    out.push(problem('body_variable_ratio', 'This template has too many variables for its length.',
      'Reduce the number of variables or make the message longer.', { subcode: 2388293, title: 'Parameters words ratio exceeds limit' }));
  }
  for (let i = 1; i < vars.length; i++) {
    const between = text.slice(vars[i - 1]!.end, vars[i]!.start);
    if (between.trim() === '') {
      out.push(problem('body_adjacent_variables', 'The template has parameters placed next to each other.', 'Put words between the variables.'));
      break;
    }
  }
  return out;
}

function checkPositionalSequence(vars: Variable[], format: 'NAMED' | 'POSITIONAL'): TemplateProblem[] {
  if (format !== 'POSITIONAL') return [];
  const numbers = [...new Set(vars.map((v) => v.raw).filter((r) => POSITIONAL.test(r)).map(Number))].sort((a, b) => a - b);
  const sequential = numbers.every((n, i) => n === i + 1);
  return sequential ? [] : [problem('body_variables_not_sequential', `Variables must be sequential from {{1}}; found ${numbers.map((n) => `{{${n}}}`).join(', ')}.`, 'Number the variables {{1}}, {{2}}, {{3}}… without gaps.')];
}

function bodyExampleCovers(b: WireTemplateComponent, vars: Variable[], format: 'NAMED' | 'POSITIONAL'): boolean {
  if (format === 'NAMED') {
    const named = new Set((b.example?.body_text_named_params ?? []).filter((p) => p && String(p.example ?? '') !== '').map((p) => p.param_name));
    return vars.every((v) => named.has(v.raw));
  }
  const samples = b.example?.body_text?.[0] ?? [];
  const distinct = new Set(vars.map((v) => v.raw)).size;
  return samples.length >= distinct && samples.slice(0, distinct).every((s) => String(s ?? '') !== '');
}

function checkFooter(d: TemplateDraft): TemplateProblem[] {
  const f = componentOf(d, 'FOOTER');
  if (!f) return [];
  if (d.category === 'AUTHENTICATION' && f.code_expiration_minutes !== undefined && !f.text) return [];
  const text = f.text ?? '';
  const out: TemplateProblem[] = [];
  if (text.trim() === '') out.push(problem('footer_text_missing', 'The FOOTER component needs text.', 'Add footer text or remove the footer.', FORMAT_TITLE.footer));
  if (text.length > LIMITS.footer) out.push(problem('footer_length', `Footer text can have at most ${LIMITS.footer} characters.`, 'Shorten the footer.', FORMAT_TITLE.length));
  if (variablesIn(text).length > 0) out.push(problem('footer_variables', 'A footer can\'t contain variables.', 'Remove the variable from the footer.', FORMAT_TITLE.footer));
  return out;
}

function buttonsOf(d: Pick<TemplateDraft, 'components'>): WireTemplateButton[] {
  const c = componentOf(d, 'BUTTONS');
  return Array.isArray(c?.buttons) ? c.buttons : [];
}

function checkButtons(d: TemplateDraft): TemplateProblem[] {
  const c = componentOf(d, 'BUTTONS');
  if (!c) return [];
  const buttons = buttonsOf(d);
  if (buttons.length === 0) return [problem('buttons_empty', 'The BUTTONS component needs at least one button.', 'Add buttons or remove the component.', FORMAT_TITLE.invalid)];
  const out: TemplateProblem[] = [];
  const count = (t: string) => buttons.filter((b) => String(b.type).toUpperCase() === t).length;
  if (buttons.length > LIMITS.buttons) out.push(problem('buttons_count', `A template can have at most ${LIMITS.buttons} buttons.`, 'Remove buttons.', FORMAT_TITLE.invalid));
  if (count('URL') > LIMITS.urlButtons) out.push(problem('buttons_url_count', `A template can have at most ${LIMITS.urlButtons} URL buttons.`, 'Remove URL buttons.', FORMAT_TITLE.invalid));
  if (count('PHONE_NUMBER') > LIMITS.phoneButtons) out.push(problem('buttons_phone_count', 'A template can have at most 1 phone number button.', 'Remove phone buttons.', FORMAT_TITLE.invalid));
  if (count('COPY_CODE') > LIMITS.copyCodeButtons) out.push(problem('buttons_copy_code_count', 'A template can have at most 1 copy code button.', 'Remove copy code buttons.', FORMAT_TITLE.invalid));
  if (!quickRepliesGrouped(buttons)) {
    out.push(problem('buttons_grouping', 'Quick reply buttons must be grouped together (before or after the other buttons).', 'Reorder the buttons, e.g. QUICK_REPLY, QUICK_REPLY, URL.', FORMAT_TITLE.invalid));
  }
  buttons.forEach((b, i) => out.push(...checkButton(d, b, i)));
  return out;
}

/** Why: "QR, QR, URL" and "URL, QR, QR" are valid, "QR, URL, QR" is not (components doc, buttons). */
function quickRepliesGrouped(buttons: WireTemplateButton[]): boolean {
  const kinds = buttons.map((b) => String(b.type).toUpperCase() === 'QUICK_REPLY');
  let runs = 0;
  kinds.forEach((qr, i) => { if (qr && (i === 0 || !kinds[i - 1])) runs++; });
  return runs <= 1;
}

const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP', 'FLOW', 'MPM', 'CATALOG', 'SPM', 'VOICE_CALL'];

function checkButton(d: TemplateDraft, b: WireTemplateButton, i: number): TemplateProblem[] {
  const type = String(b.type ?? '').toUpperCase();
  const at = `buttons[${i}]`;
  if (!BUTTON_TYPES.includes(type)) return [problem('button_type', `${at}: unknown button type ${String(b.type)}.`, 'Use a documented button type.', FORMAT_TITLE.invalid)];
  if (type === 'OTP') {
    return d.category === 'AUTHENTICATION' ? [] : [problem('button_otp_category', `${at}: OTP buttons are only for AUTHENTICATION templates.`, 'Use a COPY_CODE button or change the category.', FORMAT_TITLE.invalid)];
  }
  const out: TemplateProblem[] = [];
  const textRequired = type !== 'COPY_CODE' && type !== 'MPM' && type !== 'CATALOG';
  if (textRequired && !(b.text ?? '').trim()) out.push(problem('button_text_missing', `${at}: the button needs text.`, 'Add button text.', FORMAT_TITLE.invalid));
  if ((b.text ?? '').length > LIMITS.buttonText) out.push(problem('button_text_length', `${at}: button text can have at most ${LIMITS.buttonText} characters.`, 'Shorten the button text.', FORMAT_TITLE.length));
  if (type === 'URL') out.push(...checkUrlButton(b, at));
  if (type === 'PHONE_NUMBER') {
    const phone = b.phone_number ?? '';
    if (!/^\+?\d[\d ()-]*$/.test(phone) || phone.length > LIMITS.phoneNumber) {
      out.push(problem('button_phone', `${at}: phone_number is required, digits only, at most ${LIMITS.phoneNumber} characters.`, 'Use an international phone number.', FORMAT_TITLE.invalid));
    }
  }
  if (type === 'COPY_CODE') {
    const sample = Array.isArray(b.example) ? b.example[0] : b.example;
    if (!sample || String(sample).length > LIMITS.copyCode) {
      out.push(problem('button_copy_code', `${at}: a copy code button needs an example of at most ${LIMITS.copyCode} characters.`, 'Add a sample coupon code.', FORMAT_TITLE.invalid));
    }
  }
  if (type === 'FLOW' && !b.flow_id && !b.flow_name && !(b as { flow_json?: unknown }).flow_json) {
    out.push(problem('button_flow', `${at}: a FLOW button needs flow_id, flow_name or flow_json.`, 'Reference a published flow.', FORMAT_TITLE.invalid));
  }
  return out;
}

function checkUrlButton(b: WireTemplateButton, at: string): TemplateProblem[] {
  const url = b.url ?? '';
  const out: TemplateProblem[] = [];
  if (!/^https?:\/\/[^\s/]+\.[^\s]+/i.test(url)) return [problem('button_url', `${at}: url must be an http(s) URL.`, 'Use a full https:// URL.', FORMAT_TITLE.invalid)];
  if (url.length > LIMITS.url) out.push(problem('button_url_length', `${at}: url can have at most ${LIMITS.url} characters.`, 'Shorten the URL.', FORMAT_TITLE.length));
  const vars = variablesIn(url);
  if (vars.length > 1 || (vars.length === 1 && !url.endsWith('}}'))) {
    out.push(problem('button_url_variable', `${at}: a URL can have one variable, appended at its end.`, 'Move the variable to the end of the URL.', FORMAT_TITLE.invalid));
  }
  const sample = Array.isArray(b.example) ? b.example[0] : b.example;
  if (vars.length === 1 && !sample) out.push(problem('button_url_example_missing', `${at}: the URL variable has no sample value.`, 'Add example: ["https://…/sample"].'));
  return out;
}

/** Why: authentication templates may not contain URLs, media or emoji and need one OTP button. https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates */
function checkAuthentication(d: TemplateDraft): TemplateProblem[] {
  if (d.category !== 'AUTHENTICATION') return [];
  const out: TemplateProblem[] = [];
  const header = componentOf(d, 'HEADER');
  if (header && String(header.format ?? 'TEXT').toUpperCase() !== 'TEXT') {
    out.push(problem('auth_media', 'Authentication templates can\'t have media headers.', 'Remove the media header.'));
  }
  const texts = d.components.map((c) => c.text ?? '').join('\n');
  if (URL_IN_TEXT.test(texts)) out.push(problem('auth_url', 'Authentication templates can\'t contain URLs.', 'Remove the link.'));
  if (EMOJI.test(texts)) out.push(problem('auth_emoji', 'Authentication templates can\'t contain emoji.', 'Remove the emoji.'));
  const otp = buttonsOf(d).filter((b) => String(b.type).toUpperCase() === 'OTP');
  const others = buttonsOf(d).filter((b) => String(b.type).toUpperCase() !== 'OTP');
  if (otp.length !== 1 || others.length > 0) {
    out.push(problem('auth_otp_button', 'Authentication templates need exactly one OTP button (copy code, one-tap or zero-tap) and no other buttons.', 'Add {"type":"OTP","otp_type":"COPY_CODE"}.'));
  } else if (!['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(String(otp[0]!.otp_type ?? '').toUpperCase())) {
    out.push(problem('auth_otp_type', 'otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.', 'Set otp_type.'));
  }
  const minutes = componentOf(d, 'FOOTER')?.code_expiration_minutes;
  if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 90)) {
    out.push(problem('auth_code_expiration', 'code_expiration_minutes must be an integer from 1 to 90.', 'Choose 1–90 minutes.', FORMAT_TITLE.invalid));
  }
  return out;
}

function checkShorteners(d: TemplateDraft): TemplateProblem[] {
  const texts = [...d.components.map((c) => c.text ?? ''), ...buttonsOf(d).map((b) => b.url ?? '')];
  const hit = texts.map((t) => SHORTENER.exec(t)?.[0]).find((m) => m);
  return hit ? [problem('url_shortener', `The template uses a URL shortener (${hit}).`, 'Use the full URL of a domain your business owns.')] : [];
}

