// Lint a template draft against Meta's rejection rules before submitting it for review, so the
// operator sees every problem at once. https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-review
import type { WireTemplateButton, WireTemplateComponent } from '../cloudapi/wire.js';
import { listPlaceholders, type Placeholder, type TemplateIssue } from './templates.js';

export interface TemplateDraft {
  name: string;
  language: string;
  category: string;
  parameterFormat?: 'NAMED' | 'POSITIONAL' | 'named' | 'positional';
  components: WireTemplateComponent[];
}

/** Component limits (templates overview): header 60, body 1,024, footer 60, 10 buttons of ≤25 chars. */
export const TEMPLATE_LIMITS = { name: 512, header: 60, body: 1024, footer: 60, buttons: 10, urlButtons: 2, phoneButtons: 1, copyCodeButtons: 1, buttonText: 25, url: 2000 } as const;

/** URL shorteners Meta's guidelines reject ("URL shorteners such as bit.ly, tinyurl"). */
const SHORTENERS = ['bit.ly', 'tinyurl.com', 'goo.gl', 't.co', 'ow.ly', 'is.gd', 'buff.ly', 'rebrand.ly', 'cutt.ly', 'shorturl.at', 'tiny.cc', 'rb.gy', 't.ly', 'bl.ink'];

const issue = (code: string, message: string): TemplateIssue => ({ code, message });

function find(draft: TemplateDraft, type: string): WireTemplateComponent | undefined {
  return draft.components.find((c) => String(c.type).toUpperCase() === type);
}

function chars(s: string): number {
  return [...s].length;
}

function checkPlaceholderSyntax(where: string, text: string, named: boolean): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const opens = (text.match(/\{\{/g) ?? []).length;
  const closes = (text.match(/\}\}/g) ?? []).length;
  if (opens !== closes) issues.push(issue('unbalanced_braces', `${where} has mismatched {{ and }}`));
  const found = listPlaceholders(text);
  for (const p of found.filter((x) => x.kind === 'invalid')) issues.push(issue('invalid_variable', `${where}: ${p.raw} is not a valid variable (use {{1}} or {{lower_case_name}})`));
  const wrong = found.filter((p) => p.kind === (named ? 'positional' : 'named'));
  if (wrong.length > 0) {
    issues.push(issue('variable_format_mismatch', `${where} mixes ${named ? 'positional' : 'named'} variables into a ${named ? 'named' : 'positional'} template`));
  }
  return issues;
}

/** Positional variables must run 1, 2, 3… with no gaps ("non-sequential parameters" rejection). */
function checkSequential(where: string, placeholders: Placeholder[]): TemplateIssue[] {
  const numbers = [...new Set(placeholders.filter((p) => p.kind === 'positional').map((p) => Number(p.key)))].sort((a, b) => a - b);
  const ok = numbers.every((n, i) => n === i + 1);
  return ok ? [] : [issue('non_sequential_variables', `${where} variables must be numbered 1 to ${numbers.length} with no gaps, got ${numbers.join(', ')}`)];
}

/**
 * Leading/trailing (error 2388299), adjacent ("parameters placed next to each other") and the
 * words-per-variable ratio (2388293). Meta publishes no ratio; BSPs observe "words + variables ≥
 * 3 × variables + 1", which we use as a warning-grade heuristic.
 */
function checkBodyPlacement(text: string, placeholders: Placeholder[]): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  if (placeholders.length === 0) return issues;
  const first = placeholders[0]!;
  const last = placeholders[placeholders.length - 1]!;
  if (text.slice(0, first.start).trim() === '') issues.push(issue('leading_variable', 'the body cannot start with a variable'));
  if (/^[\s\p{P}]*$/u.test(text.slice(last.end))) issues.push(issue('trailing_variable', 'the body cannot end with a variable (punctuation after it does not count)'));
  for (let i = 1; i < placeholders.length; i++) {
    const between = text.slice(placeholders[i - 1]!.end, placeholders[i]!.start);
    if (!/[\p{L}\p{N}]/u.test(between)) {
      issues.push(issue('adjacent_variables', `${placeholders[i - 1]!.raw} and ${placeholders[i]!.raw} need words between them`));
      break;
    }
  }
  const variables = placeholders.length;
  const tokens = text.replace(/\{\{[^{}]*\}\}/g, ' {{v}} ').split(/\s+/).filter((t) => /[\p{L}\p{N}]|\{\{v\}\}/u.test(t)).length;
  if (tokens < 3 * variables + 1) {
    issues.push(issue('too_many_variables', `${variables} variable(s) need at least ${3 * variables + 1} words including variables; the body has ${tokens}`));
  }
  return issues;
}

function urlsIn(text: string): string[] {
  return text.match(/\b(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/\S*)?/gi) ?? [];
}

function checkShorteners(where: string, text: string | undefined): TemplateIssue[] {
  if (!text) return [];
  const hosts = urlsIn(text).map((u) => u.replace(/^https?:\/\//i, '').split('/')[0]!.toLowerCase());
  const bad = hosts.find((h) => SHORTENERS.some((s) => h === s || h.endsWith(`.${s}`)));
  return bad ? [issue('url_shortener', `${where} uses the URL shortener ${bad}; use the business's own domain`)] : [];
}

function checkButtons(buttons: WireTemplateButton[]): TemplateIssue[] {
  const L = TEMPLATE_LIMITS;
  const issues: TemplateIssue[] = [];
  const count = (t: string) => buttons.filter((b) => String(b.type).toUpperCase() === t).length;
  if (buttons.length > L.buttons) issues.push(issue('too_many_buttons', `at most ${L.buttons} buttons, got ${buttons.length}`));
  if (count('URL') > L.urlButtons) issues.push(issue('too_many_url_buttons', `at most ${L.urlButtons} URL buttons`));
  if (count('PHONE_NUMBER') > L.phoneButtons) issues.push(issue('too_many_phone_buttons', `at most ${L.phoneButtons} phone-number button`));
  if (count('COPY_CODE') > L.copyCodeButtons) issues.push(issue('too_many_copy_code_buttons', `at most ${L.copyCodeButtons} copy-code button`));
  // Quick replies must be one contiguous group (QR,QR,URL or URL,QR,QR; not QR,URL,QR).
  const kinds = buttons.map((b) => String(b.type).toUpperCase() === 'QUICK_REPLY');
  const firstQr = kinds.indexOf(true);
  if (firstQr >= 0 && kinds.slice(firstQr, kinds.lastIndexOf(true) + 1).includes(false)) {
    issues.push(issue('quick_replies_not_grouped', 'quick-reply buttons must be next to each other'));
  }
  buttons.forEach((b, i) => {
    if (b.text !== undefined && chars(b.text) > L.buttonText) issues.push(issue('button_text_too_long', `button ${i} text is longer than ${L.buttonText} characters`));
    if (b.url === undefined) return;
    if (b.url.length > L.url) issues.push(issue('url_too_long', `button ${i} URL is longer than ${L.url} characters`));
    const vars = listPlaceholders(b.url);
    if (vars.length > 1 || (vars.length === 1 && vars[0]!.end !== b.url.length)) {
      issues.push(issue('url_variable_position', `button ${i} URL may have one variable, at the end`));
    }
    issues.push(...checkShorteners(`button ${i} URL`, b.url));
  });
  return issues;
}

function checkHeader(header: WireTemplateComponent | undefined, named: boolean): TemplateIssue[] {
  if (!header || String(header.format ?? 'TEXT').toUpperCase() !== 'TEXT') return [];
  const text = header.text ?? '';
  const issues = [...checkPlaceholderSyntax('header', text, named), ...checkShorteners('header', text)];
  if (chars(text) > TEMPLATE_LIMITS.header) issues.push(issue('header_too_long', `header is longer than ${TEMPLATE_LIMITS.header} characters`));
  if (listPlaceholders(text).length > 1) issues.push(issue('header_too_many_variables', 'a text header takes at most 1 variable'));
  return issues;
}

function checkFooter(footer: WireTemplateComponent | undefined): TemplateIssue[] {
  const text = footer?.text;
  if (text === undefined) return [];
  const issues = checkShorteners('footer', text);
  if (chars(text) > TEMPLATE_LIMITS.footer) issues.push(issue('footer_too_long', `footer is longer than ${TEMPLATE_LIMITS.footer} characters`));
  if (listPlaceholders(text).length > 0) issues.push(issue('footer_variables', 'the footer cannot contain variables'));
  return issues;
}

function checkBody(body: WireTemplateComponent | undefined, named: boolean): TemplateIssue[] {
  const text = body?.text;
  if (!text || text.trim() === '') return [issue('body_missing', 'a template needs a body')];
  const placeholders = listPlaceholders(text);
  const issues = [...checkPlaceholderSyntax('body', text, named), ...checkShorteners('body', text)];
  if (chars(text) > TEMPLATE_LIMITS.body) issues.push(issue('body_too_long', `body is longer than ${TEMPLATE_LIMITS.body} characters`));
  if (!named) issues.push(...checkSequential('body', placeholders));
  issues.push(...checkBodyPlacement(text, placeholders));
  return issues;
}

/** Every issue Meta would likely reject the draft for; [] when none is known. */
export function lintTemplateDraft(draft: TemplateDraft): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  if (!/^[a-z0-9_]+$/.test(draft.name) || draft.name.length > TEMPLATE_LIMITS.name) {
    issues.push(issue('name_invalid', 'name must be 1–512 lowercase letters, digits or underscores'));
  }
  if (!draft.language?.trim()) issues.push(issue('language_missing', 'language is required'));
  const named = String(draft.parameterFormat ?? 'POSITIONAL').toUpperCase() === 'NAMED';
  issues.push(...checkHeader(find(draft, 'HEADER'), named));
  issues.push(...checkBody(find(draft, 'BODY'), named));
  issues.push(...checkFooter(find(draft, 'FOOTER')));
  issues.push(...checkButtons(find(draft, 'BUTTONS')?.buttons ?? []));
  return issues;
}
