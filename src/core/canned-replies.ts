// Canned replies («быстрые ответы»): parse a reply's text into literal text, variables
// ({{contact.name}}, {{agent.name}}, …) and operator prompts ({{?Order number}}), and render it. Pure;
// the web app imports this same file for its previews and the composer's picker.

export type CannedPart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'prompt'; label: string };

export type CannedProblem =
  | { kind: 'unknown_variable'; name: string; allowed: string[] }
  | { kind: 'unbalanced_braces'; at: number }
  | { kind: 'empty_placeholder'; at: number };

export type CannedParse =
  | { ok: true; parts: CannedPart[]; variables: string[]; prompts: string[] }
  | { ok: false; problem: CannedProblem };

export interface CannedValues {
  contact?: { name?: string | null; phone?: string | null; attributes?: Record<string, unknown> | null } | null;
  agent?: { name?: string | null } | null;
  /** Prompt label → what the operator typed. */
  prompts?: Record<string, string>;
}

/** What may stand between {{ and }}; `?Label` is a prompt. */
export const ALLOWED_VARIABLES = ['contact.name', 'contact.phone', 'contact.attributes.<key>', 'agent.name', '?<question for the operator>'];

export const SHORTCUT_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
const ATTRIBUTE = /^contact\.attributes\.([A-Za-z0-9_-]{1,64})$/;
const FIXED = new Set(['contact.name', 'contact.phone', 'agent.name']);
const MAX_PROMPT = 80;

function isKnown(name: string): boolean {
  return FIXED.has(name) || ATTRIBUTE.test(name);
}

/** Splits the text; the first problem found (left to right) makes it invalid. */
export function parseCannedText(text: string): CannedParse {
  const parts: CannedPart[] = [];
  const variables: string[] = [];
  const prompts: string[] = [];
  let i = 0;
  let literal = '';
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const strayClose = text.indexOf('}}', i);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) return { ok: false, problem: { kind: 'unbalanced_braces', at: strayClose } };
    if (open === -1) { literal += text.slice(i); break; }
    literal += text.slice(i, open);
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) return { ok: false, problem: { kind: 'unbalanced_braces', at: open } };
    const inner = text.slice(open + 2, close).trim();
    if (literal) { parts.push({ kind: 'text', text: literal }); literal = ''; }
    if (inner.startsWith('?')) {
      const label = inner.slice(1).trim();
      if (label.length === 0 || label.length > MAX_PROMPT) return { ok: false, problem: { kind: 'empty_placeholder', at: open } };
      parts.push({ kind: 'prompt', label });
      if (!prompts.includes(label)) prompts.push(label);
    } else {
      if (inner.length === 0) return { ok: false, problem: { kind: 'empty_placeholder', at: open } };
      if (!isKnown(inner)) return { ok: false, problem: { kind: 'unknown_variable', name: inner, allowed: ALLOWED_VARIABLES } };
      parts.push({ kind: 'variable', name: inner });
      if (!variables.includes(inner)) variables.push(inner);
    }
    i = close + 2;
  }
  if (literal) parts.push({ kind: 'text', text: literal });
  return { ok: true, parts, variables, prompts };
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The value of one variable; anything missing is empty text, never "undefined" or "null". */
export function variableValue(name: string, values: CannedValues): string {
  if (name === 'contact.name') return scalar(values.contact?.name);
  if (name === 'contact.phone') return scalar(values.contact?.phone);
  if (name === 'agent.name') return scalar(values.agent?.name);
  const attribute = ATTRIBUTE.exec(name);
  if (attribute) return scalar(values.contact?.attributes?.[attribute[1]!]);
  return '';
}

export function renderCannedParts(parts: CannedPart[], values: CannedValues): string {
  return parts.map((p) => {
    if (p.kind === 'text') return p.text;
    if (p.kind === 'variable') return variableValue(p.name, values);
    return values.prompts?.[p.label] ?? '';
  }).join('');
}

/** Renders valid text; invalid text comes back unchanged (a preview still shows something). */
export function renderCannedText(text: string, values: CannedValues): string {
  const parsed = parseCannedText(text);
  return parsed.ok ? renderCannedParts(parsed.parts, values) : text;
}

/** An English sentence that says what to fix (the API's error message). */
export function describeCannedProblem(problem: CannedProblem): string {
  if (problem.kind === 'unknown_variable') {
    return `Unknown variable {{${problem.name}}}: use one of ${problem.allowed.map((a) => `{{${a}}}`).join(', ')}.`;
  }
  if (problem.kind === 'unbalanced_braces') return `Unbalanced braces at character ${problem.at + 1}: every {{ needs a matching }}.`;
  return `Empty placeholder at character ${problem.at + 1}: write a variable such as {{contact.name}} or a question such as {{?Order number}} (up to ${MAX_PROMPT} characters).`;
}

/** Shortcut search, as the composer's picker and GET ?q= use it: prefix of the shortcut first, then anywhere in shortcut or title. */
export function matchesCannedQuery(reply: { shortcut: string; title: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return reply.shortcut.toLowerCase().includes(q) || reply.title.toLowerCase().includes(q);
}

export function rankCannedReplies<T extends { shortcut: string; title: string }>(replies: T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  const rank = (r: T) => (r.shortcut.toLowerCase().startsWith(q) ? 0 : r.shortcut.toLowerCase().includes(q) ? 1 : 2);
  return replies.filter((r) => matchesCannedQuery(r, q))
    .map((r, i) => ({ r, i, k: rank(r) }))
    .sort((a, b) => a.k - b.k || a.r.shortcut.localeCompare(b.r.shortcut) || a.i - b.i)
    .map((x) => x.r);
}
