// Canned reply text: parsing (variables, prompts, problems), rendering with missing values, ranking.

import { describe, expect, it } from 'vitest';
import { ALLOWED_VARIABLES, describeCannedProblem, parseCannedText, rankCannedReplies, renderCannedText } from './canned-replies.js';

describe('parseCannedText', () => {
  it('splits text, variables and prompts, each listed once in order of first use', () => {
    const parsed = parseCannedText('Hi {{contact.name}}, order {{?Order number}} ships {{ ?When }}. {{contact.name}} / {{agent.name}}');
    expect(parsed).toEqual({
      ok: true,
      parts: [
        { kind: 'text', text: 'Hi ' }, { kind: 'variable', name: 'contact.name' }, { kind: 'text', text: ', order ' },
        { kind: 'prompt', label: 'Order number' }, { kind: 'text', text: ' ships ' }, { kind: 'prompt', label: 'When' },
        { kind: 'text', text: '. ' }, { kind: 'variable', name: 'contact.name' }, { kind: 'text', text: ' / ' }, { kind: 'variable', name: 'agent.name' },
      ],
      variables: ['contact.name', 'agent.name'],
      prompts: ['Order number', 'When'],
    });
  });

  const problems: Array<[string, string, unknown]> = [
    ['unknown variable', 'Hi {{contact.email}}', { kind: 'unknown_variable', name: 'contact.email', allowed: ALLOWED_VARIABLES }],
    ['attribute without key', '{{contact.attributes.}}', { kind: 'unknown_variable', name: 'contact.attributes.', allowed: ALLOWED_VARIABLES }],
    ['unclosed', 'Hi {{contact.name', { kind: 'unbalanced_braces', at: 3 }],
    ['stray close', 'Hi contact.name}} there', { kind: 'unbalanced_braces', at: 15 }],
    ['nested open', '{{contact.{{name}}', { kind: 'unbalanced_braces', at: 0 }],
    ['empty', 'a {{ }} b', { kind: 'empty_placeholder', at: 2 }],
    ['empty prompt', 'a {{?}} b', { kind: 'empty_placeholder', at: 2 }],
  ];
  it.each(problems)('rejects: %s', (_name, text, problem) => {
    expect(parseCannedText(text)).toEqual({ ok: false, problem });
  });

  it('accepts plain text, single braces and attribute keys', () => {
    expect(parseCannedText('Price {5} {{contact.attributes.city_name}}').ok).toBe(true);
    expect(parseCannedText('')).toEqual({ ok: true, parts: [], variables: [], prompts: [] });
  });

  it('says what to fix', () => {
    const parsed = parseCannedText('{{contact.email}}');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(describeCannedProblem(parsed.problem)).toBe(
      'Unknown variable {{contact.email}}: use one of {{contact.name}}, {{contact.phone}}, {{contact.attributes.<key>}}, {{agent.name}}, {{?<question for the operator>}}.');
  });
});

describe('renderCannedText', () => {
  const text = 'Hi {{contact.name}} ({{contact.phone}}, {{contact.attributes.city}}, vip={{contact.attributes.vip}}), #{{?Order}} — {{agent.name}}';
  it('fills every value', () => {
    expect(renderCannedText(text, {
      contact: { name: 'Anna', phone: '+447400123456', attributes: { city: 'Leeds', vip: true } }, agent: { name: 'Bob' }, prompts: { Order: '42' },
    })).toBe('Hi Anna (+447400123456, Leeds, vip=true), #42 — Bob');
  });
  it('leaves missing values empty, never "undefined" or "null"', () => {
    expect(renderCannedText(text, { contact: { name: null, attributes: { city: { nested: 1 } } } }))
      .toBe('Hi  (, , vip=), # — ');
    expect(renderCannedText('{{contact.name}}', {})).toBe('');
  });
  it('returns invalid text unchanged', () => {
    expect(renderCannedText('Hi {{contact.name', { contact: { name: 'Anna' } })).toBe('Hi {{contact.name');
  });
});

describe('rankCannedReplies', () => {
  const replies = [
    { shortcut: 'refund', title: 'Delivery refund' },
    { shortcut: 'delivery', title: 'Delivery times' },
    { shortcut: 'late-delivery', title: 'Sorry' },
    { shortcut: 'hello', title: 'Приветствие' },
  ];
  it('puts shortcut prefixes first, then shortcut matches, then title matches', () => {
    expect(rankCannedReplies(replies, 'deliv').map((r) => r.shortcut)).toEqual(['delivery', 'late-delivery', 'refund']);
  });
  it('matches titles in any script, case-insensitively; empty query keeps all', () => {
    expect(rankCannedReplies(replies, 'ПРИВЕТ').map((r) => r.shortcut)).toEqual(['hello']);
    expect(rankCannedReplies(replies, ' ')).toHaveLength(4);
  });
});
