import { describe, expect, it } from 'vitest';
import {
  CSAT_LIMITS, DEFAULT_CSAT_SETTINGS, csatListContent, csatReplyOf, csatSettingsProblem, csatTemplateContent, csatTemplateProblem,
  decideAsk, ratingButtons, summarizeCsat, type CsatSettings,
} from './csat.js';
import { checkOutboundContent } from './message-content.js';

const on: CsatSettings = { ...DEFAULT_CSAT_SETTINGS, enabled: true };
const H = 3600_000;

describe('csat settings', () => {
  it.each([
    ['the default', DEFAULT_CSAT_SETTINGS, null],
    ['1024 characters', { ...on, question: 'я'.repeat(1024) }, null],
    ['1025 characters', { ...on, question: 'я'.repeat(1025) }, 'question'],
    ['an emoji counts as one character', { ...on, question: '⭐'.repeat(1024) }, null],
    ['only spaces', { ...on, question: '  \n ' }, 'question'],
    ['a template without a name', { ...on, template: { name: ' ', language: 'en' } }, 'template'],
  ] as const)('%s', (_, settings, field) => {
    expect(csatSettingsProblem(settings as CsatSettings)?.field ?? null).toBe(field);
  });
  it('limits the question as Meta limits an interactive body', () => {
    expect(CSAT_LIMITS.questionMax).toBe(1024);
  });
});

describe('decideAsk', () => {
  const base = { settings: on, byOperator: true, windowOpen: true, lastAskedAt: null, now: 100 * H };
  it.each([
    ['off', { settings: DEFAULT_CSAT_SETTINGS }, { ask: false, why: 'off' }],
    ['an auto-resolve', { byOperator: false }, { ask: false, why: 'not_operator' }],
    ['inside the window', {}, { ask: true, channel: 'interactive' }],
    ['outside, no template', { windowOpen: false }, { ask: true, channel: null, skip: 'window_closed' }],
    ['outside, with a template', { windowOpen: false, settings: { ...on, template: { name: 't', language: 'en' } } }, { ask: true, channel: 'template' }],
    ['asked 23:59 h ago', { lastAskedAt: 100 * H - 24 * H + 60_000 }, { ask: false, why: 'asked_recently' }],
    ['asked exactly 24 h ago', { lastAskedAt: 76 * H }, { ask: true, channel: 'interactive' }],
  ] as const)('%s', (_, facts, decision) => {
    expect(decideAsk({ ...base, ...facts } as Parameters<typeof decideAsk>[0])).toEqual(decision);
  });
});

describe('the list', () => {
  it.each(['en', 'ru'] as const)('is valid content for Meta, rows 5..1 carrying the survey id (%s)', (language) => {
    const content = csatListContent('csat_01abc', { language, question: 'How did we do?' });
    expect(checkOutboundContent(content)).toEqual([]);
    if (content.type !== 'list') throw new Error('not a list');
    expect(content.sections[0]!.rows.map((r) => r.id)).toEqual([5, 4, 3, 2, 1].map((n) => `csat:csat_01abc:${n}`));
    expect(content.sections[0]!.rows[0]!.title).toMatch(/^5 — /);
  });
});

describe('csatReplyOf', () => {
  it.each([
    [{ type: 'list_reply', id: 'csat:csat_1:4', title: '4 — Good', description: null }, { surveyId: 'csat_1', rating: 4 }],
    [{ type: 'button_reply', id: 'csat:csat_1:5', title: '5' }, { surveyId: 'csat_1', rating: 5 }],
    [{ type: 'button', payload: 'csat:csat_1:1', text: '1 – Bad' }, { surveyId: 'csat_1', rating: 1 }],
    [{ type: 'list_reply', id: 'csat:csat_1:6', title: '', description: null }, null],
    [{ type: 'list_reply', id: 'csat:csat_1:0', title: '', description: null }, null],
    [{ type: 'list_reply', id: 'csat:csat 1:3', title: '', description: null }, null],
    [{ type: 'list_reply', id: 'menu:3', title: '', description: null }, null],
    [{ type: 'button', payload: '4', text: '4' }, null],
    [{ type: 'text', body: 'csat:csat_1:4' }, null],
  ])('%j → %j', (content, expected) => {
    expect(csatReplyOf(content as Parameters<typeof csatReplyOf>[0])).toEqual(expected);
  });
});

const template = (buttons: Array<{ type: string; text: string; url?: string }>, extra: object[] = []) => ({
  status: 'APPROVED', components: [{ type: 'BODY', text: 'How did we do?' }, ...extra, { type: 'BUTTONS', buttons }],
});
const fiveButtons = [5, 4, 3, 2, 1].map((n) => ({ type: 'QUICK_REPLY', text: `${n} ⭐` }));

describe('templates', () => {
  it('maps quick-reply buttons starting with a digit 1–5 to ratings, by index', () => {
    const t = template([{ type: 'QUICK_REPLY', text: 'Talk to us' }, { type: 'QUICK_REPLY', text: '5 – Great' }, { type: 'QUICK_REPLY', text: '1 – Bad' }, { type: 'QUICK_REPLY', text: '10 years' }]);
    expect(ratingButtons(t)).toEqual([{ index: 1, rating: 5 }, { index: 2, rating: 1 }]);
    expect(csatTemplateContent('csat_9', { name: 'csat', language: 'en' }, ratingButtons(t)).buttons).toEqual([
      { index: 1, subType: 'quick_reply', payload: 'csat:csat_9:5' }, { index: 2, subType: 'quick_reply', payload: 'csat:csat_9:1' },
    ]);
  });
  it.each([
    ['five rating buttons', template(fiveButtons), null],
    ['not approved', { ...template(fiveButtons), status: 'PENDING' }, /PENDING/],
    ['body variables', { status: 'APPROVED', components: [{ type: 'BODY', text: 'Hi {{1}}' }, { type: 'BUTTONS', buttons: fiveButtons }] }, /variables/],
    ['a media header', template(fiveButtons, [{ type: 'HEADER', format: 'IMAGE' }]), /media/],
    ['a URL button with a variable', template([...fiveButtons, { type: 'URL', text: 'Open', url: 'https://x.test/{{1}}' }]), /URL/],
    ['no rating buttons', template([{ type: 'QUICK_REPLY', text: 'Yes' }]), /no quick-reply/],
    ['the same rating twice', template([{ type: 'QUICK_REPLY', text: '5' }, { type: 'QUICK_REPLY', text: '5 again' }]), /same rating/],
  ] as const)('%s', (_, t, problem) => {
    const got = csatTemplateProblem(t as Parameters<typeof csatTemplateProblem>[0]);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toMatch(problem);
  });
});

describe('summarizeCsat', () => {
  it('counts answered in the asked total, averages and rates', () => {
    expect(summarizeCsat({ asked: 2, skipped: { window_closed: 1, contact_blocked: 2 }, ratings: { 4: 1, 5: 1 } })).toEqual({
      asked: 4, answered: 2, skipped: 3, average: 4.5, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, responseRate: 0.5,
      skippedByReason: [{ reason: 'contact_blocked', count: 2 }, { reason: 'window_closed', count: 1 }],
    });
  });
  it('has no average or rate when nothing was asked', () => {
    expect(summarizeCsat({ asked: 0, skipped: { window_closed: 1 }, ratings: {} })).toMatchObject({ asked: 0, average: null, responseRate: null });
  });
});
