// WhatsApp formatting: the rules as WhatsApp applies them, as a table, plus hostile input staying text.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormattedText } from './formatted-text.js';
import { parseInline, parseWhatsAppText, type Block, type InlineNode } from './whatsapp-format.js';

const t = (text: string): InlineNode => ({ kind: 'text', text });
const b = (...children: InlineNode[]): InlineNode => ({ kind: 'bold', children });
const i = (...children: InlineNode[]): InlineNode => ({ kind: 'italic', children });
const s = (...children: InlineNode[]): InlineNode => ({ kind: 'strike', children });
const link = (href: string): InlineNode => ({ kind: 'link', href, text: href });

describe('parseInline', () => {
  const cases: Array<[string, InlineNode[]]> = [
    ['plain text', [t('plain text')]],
    ['*bold*', [b(t('bold'))]],
    ['_italic_', [i(t('italic'))]],
    ['~strike~', [s(t('strike'))]],
    ['a *b c* d', [t('a '), b(t('b c')), t(' d')]],
    ['*_both_*', [b(i(t('both')))]],
    ['_*both*_', [i(b(t('both')))]],
    ['*~mixed~ text*', [b(s(t('mixed')), t(' text'))]],
    ['(*bold*)', [t('('), b(t('bold')), t(')')]],
    ['*bold*, then', [b(t('bold')), t(', then')]],
    // markers must hug non-space text
    ['* not bold*', [t('* not bold*')]],
    ['*not bold *', [t('*not bold *')]],
    ['**', [t('**')]],
    ['***', [t('***')]],
    ['a * b * c', [t('a * b * c')]],
    // markers inside words do nothing (snake_case, 2*3*4)
    ['snake_case_name', [t('snake_case_name')]],
    ['2*3*4', [t('2*3*4')]],
    ['*bold*er', [t('*bold*er')]],
    ['unclosed *bold', [t('unclosed *bold')]],
    ['*first* and *second*', [b(t('first')), t(' and '), b(t('second'))]],
    ['```mono *not bold*```', [{ kind: 'mono', text: 'mono *not bold*' }]],
    ['use `npm i` now', [t('use '), { kind: 'code', text: 'npm i' }, t(' now')]],
    ['` spaced`', [t('` spaced`')]],
    // links: http(s) only, trailing punctuation left out
    ['see https://example.com/a_b_c.', [t('see '), link('https://example.com/a_b_c'), t('.')]],
    ['(http://example.com/x)', [t('('), link('http://example.com/x'), t(')')]],
    ['https://en.wikipedia.org/wiki/Foo_(bar)', [link('https://en.wikipedia.org/wiki/Foo_(bar)')]],
    ['*https://example.com*', [b(link('https://example.com'))]],
    ['javascript:alert(1)', [t('javascript:alert(1)')]],
    ['JAVASCRIPT://example.com', [t('JAVASCRIPT://example.com')]],
    ['data:text/html,<script>alert(1)</script>', [t('data:text/html,<script>alert(1)</script>')]],
    ['xhttps://example.com', [t('xhttps://example.com')]],
    ['https://', [t('https://')]],
    ['<img src=x onerror=alert(1)>', [t('<img src=x onerror=alert(1)>')]],
    ['*<b>hi</b>*', [b(t('<b>hi</b>'))]],
    ['*жирный* _курсив_', [b(t('жирный')), t(' '), i(t('курсив'))]],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(parseInline(input)).toEqual(expected);
  });
});

describe('parseWhatsAppText blocks', () => {
  const cases: Array<[string, Block[]]> = [
    ['one\ntwo', [{ kind: 'paragraph', lines: [[t('one')], [t('two')]] }]],
    ['> quoted\n> *still*\nafter', [
      { kind: 'quote', lines: [[t('quoted')], [b(t('still'))]] },
      { kind: 'paragraph', lines: [[t('after')]] },
    ]],
    ['- one\n* two\nend', [{ kind: 'bullets', items: [[t('one')], [t('two')]] }, { kind: 'paragraph', lines: [[t('end')]] }]],
    ['3. three\n4. _four_', [{ kind: 'numbered', start: 3, items: [[t('three')], [i(t('four'))]] }]],
    ['*bold*\n-not a bullet', [{ kind: 'paragraph', lines: [[b(t('bold'))], [t('-not a bullet')]] }]],
    // no span across lines
    ['*starts\nends*', [{ kind: 'paragraph', lines: [[t('*starts')], [t('ends*')]] }]],
    ['before\n```\nline *1*\n  line 2\n```\nafter', [
      { kind: 'paragraph', lines: [[t('before')]] },
      { kind: 'mono', text: 'line *1*\n  line 2\n' },
      { kind: 'paragraph', lines: [[t('after')]] },
    ]],
    ['', [{ kind: 'paragraph', lines: [[]] }]],
    ['a\r\nb', [{ kind: 'paragraph', lines: [[t('a')], [t('b')]] }]],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(parseWhatsAppText(input)).toEqual(expected);
  });
});

describe('FormattedText renders elements, never markup', () => {
  const html = (text: string) => renderToStaticMarkup(createElement(FormattedText, { text }));

  it('renders bold, links with target=_blank and rel=noopener noreferrer', () => {
    const out = html('*Hi* see https://example.com');
    expect(out).toContain('<strong>Hi</strong>');
    expect(out).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>');
  });

  it.each([
    '<img src=x onerror=alert(1)>',
    '*<img src=x onerror=alert(1)>*',
    '"><script>alert(1)</script>',
    '> <iframe src=javascript:alert(1)>',
    '- <svg onload=alert(1)>',
    'https://example.com/"onmouseover="alert(1)',
  ])('keeps %j inert', (input) => {
    const out = html(input);
    expect(out).not.toMatch(/<(img|script|iframe|svg)\b/i);
    const tags = out.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((tag) => /\son\w+=/i.test(tag))).toEqual([]);
    expect(out).not.toContain('href="javascript:');
  });
});
