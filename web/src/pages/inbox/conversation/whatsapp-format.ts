// WhatsApp's text formatting (*bold* _italic_ ~strike~ ```mono``` `code`, > quotes, lists, links) parsed
// into a small tree that React renders as elements — customer text is never treated as HTML.
// https://faq.whatsapp.com/539178204879377 (Formatting your messages)

export type InlineNode =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: InlineNode[] }
  | { kind: 'mono' | 'code'; text: string }
  | { kind: 'link'; href: string; text: string };

/** One line of inline content. */
export type Line = InlineNode[];

export type Block =
  | { kind: 'paragraph'; lines: Line[] }
  | { kind: 'quote'; lines: Line[] }
  | { kind: 'bullets'; items: Line[] }
  | { kind: 'numbered'; start: number; items: Line[] }
  /** ```…``` over several lines: kept verbatim. */
  | { kind: 'mono'; text: string };

const SPANS: Record<string, 'bold' | 'italic' | 'strike'> = { '*': 'bold', _: 'italic', '~': 'strike' };
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
const URL_AT = /^https?:\/\/[^\s<>"]+/i;
const TRAILING = /[.,!?;:'"*_~`]$/;

const isWord = (ch: string | undefined): boolean => ch !== undefined && WORD.test(ch);
const isSpace = (ch: string | undefined): boolean => ch === undefined || SPACE.test(ch);

/** An http(s) URL at `i`, trimmed of trailing punctuation (and of an unbalanced ')'); null if none. */
function linkAt(s: string, i: number): string | null {
  if (isWord(s[i - 1]) || s[i - 1] === '/') return null;
  const m = URL_AT.exec(s.slice(i));
  if (!m) return null;
  let url = m[0];
  for (;;) {
    if (TRAILING.test(url)) url = url.slice(0, -1);
    else if (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
    else break;
  }
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The end of a span opened by `marker` at `i`, or -1. As WhatsApp applies it: the opening marker
 * starts a word (not preceded by a letter or digit) and is followed by non-space; the closing one
 * follows non-space and does not run into a letter or digit. Spans never cross lines (we parse a line).
 */
function spanEnd(s: string, i: number, marker: string): number {
  if (isWord(s[i - 1]) || isSpace(s[i + 1]) || s[i + 1] === marker) return -1;
  for (let j = i + 2; j < s.length; j++) {
    if (s[j] === marker && !isSpace(s[j - 1]) && !isWord(s[j + 1])) return j;
  }
  return -1;
}

/** ```mono``` (content verbatim) or `code` at `i`: [end index after the closing marker, text] or null. */
function literalAt(s: string, i: number): [number, 'mono' | 'code', string] | null {
  if (s.startsWith('```', i)) {
    const close = s.indexOf('```', i + 3);
    if (close > i + 3) return [close + 3, 'mono', s.slice(i + 3, close)];
    return null;
  }
  if (s[i] === '`' && !isSpace(s[i + 1]) && s[i + 1] !== '`') {
    const close = s.indexOf('`', i + 1);
    if (close > i + 1 && !isSpace(s[close - 1])) return [close + 1, 'code', s.slice(i + 1, close)];
  }
  return null;
}

/** Inline formatting of one line. */
export function parseInline(s: string): Line {
  const out: Line = [];
  let text = '';
  const flush = () => {
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const literal = ch === '`' ? literalAt(s, i) : null;
    if (literal) {
      flush();
      out.push({ kind: literal[1], text: literal[2] });
      i = literal[0];
      continue;
    }
    const link = ch === 'h' || ch === 'H' ? linkAt(s, i) : null;
    if (link) {
      flush();
      out.push({ kind: 'link', href: link, text: link });
      i += link.length;
      continue;
    }
    const span = SPANS[ch];
    const end = span ? spanEnd(s, i, ch) : -1;
    if (span && end > 0) {
      flush();
      out.push({ kind: span, children: parseInline(s.slice(i + 1, end)) });
      i = end + 1;
      continue;
    }
    text += ch;
    i += 1;
  }
  flush();
  return out;
}

const QUOTE = /^> (.*)$/;
const BULLET = /^[-*•] (.*)$/;
const NUMBERED = /^(\d{1,9})\. (.*)$/;

/** Lines (no multi-line mono inside) → blocks: consecutive lines of one kind are grouped. */
function blocksOfLines(lines: string[], out: Block[]): void {
  for (const line of lines) {
    const last = out[out.length - 1];
    const quote = QUOTE.exec(line);
    const bullet = quote ? null : BULLET.exec(line);
    const numbered = quote || bullet ? null : NUMBERED.exec(line);
    if (quote) {
      if (last?.kind === 'quote') last.lines.push(parseInline(quote[1]!));
      else out.push({ kind: 'quote', lines: [parseInline(quote[1]!)] });
    } else if (bullet) {
      if (last?.kind === 'bullets') last.items.push(parseInline(bullet[1]!));
      else out.push({ kind: 'bullets', items: [parseInline(bullet[1]!)] });
    } else if (numbered) {
      if (last?.kind === 'numbered') last.items.push(parseInline(numbered[2]!));
      else out.push({ kind: 'numbered', start: Number(numbered[1]), items: [parseInline(numbered[2]!)] });
    } else if (last?.kind === 'paragraph') {
      last.lines.push(parseInline(line));
    } else {
      out.push({ kind: 'paragraph', lines: [parseInline(line)] });
    }
  }
}

const MULTILINE_MONO = /```([^]*?\n[^]*?)```/g;

/** A message text → blocks. Pure; the input is never interpreted as markup. */
export function parseWhatsAppText(input: string): Block[] {
  const text = input.replace(/\r\n?/g, '\n');
  const out: Block[] = [];
  let from = 0;
  for (const m of text.matchAll(MULTILINE_MONO)) {
    const before = text.slice(from, m.index);
    if (before.replace(/\n$/, '') !== '') blocksOfLines(before.replace(/\n$/, '').split('\n'), out);
    out.push({ kind: 'mono', text: m[1]!.replace(/^\n/, '') });
    from = m.index + m[0].length;
    if (text[from] === '\n') from += 1;
  }
  const rest = text.slice(from);
  if (rest !== '' || out.length === 0) blocksOfLines(rest.split('\n'), out);
  return out;
}

/** The plain text of a line (for tests, titles and previews). */
export function plainText(line: Line): string {
  return line.map((n) => ('children' in n ? plainText(n.children) : n.text)).join('');
}
