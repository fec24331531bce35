import { describe, expect, it } from 'vitest';
import type { TemplateContent } from './message-content.js';
import { checkTemplateParams, listPlaceholders, placeholderKeys, renderTemplate, templateSpec, templateStatusAfterEvent, type StoredTemplate } from './templates.js';
import { lintTemplateDraft, type TemplateDraft } from './template-lint.js';

const ORDER: StoredTemplate = {
  name: 'order_update', language: 'en', category: 'UTILITY', status: 'APPROVED', parameterFormat: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships on {{3}}. Total {{2}} again.' },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    { type: 'BUTTONS', buttons: [
      { type: 'URL', text: 'Track', url: 'https://shop.example/track/{{1}}' },
      { type: 'QUICK_REPLY', text: 'Stop' },
      { type: 'COPY_CODE', example: 'SAVE10' },
    ] },
  ],
};

const WELCOME: StoredTemplate = {
  name: 'welcome', language: 'en', category: 'MARKETING', status: 'APPROVED', parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hello {{first_name}}, welcome to {{shop}}! Your code is ready.' },
  ],
};

const text = (t: string, paramName?: string) => ({ type: 'text' as const, text: t, ...(paramName ? { paramName } : {}) });

describe('placeholders', () => {
  it('lists positional, named and invalid placeholders with positions', () => {
    const found = listPlaceholders('Hi {{1}} and {{ first_name }} {{Bad Name}}');
    expect(found.map((p) => [p.key, p.kind])).toEqual([['1', 'positional'], ['first_name', 'named'], ['Bad Name', 'invalid']]);
    expect(found[0]).toMatchObject({ raw: '{{1}}', start: 3, end: 8 });
  });

  it('distinct keys keep first-appearance order', () => {
    expect(placeholderKeys('{{2}} {{1}} {{2}}')).toEqual(['2', '1']);
    expect(placeholderKeys(undefined)).toEqual([]);
  });

  it('derives what a send must supply', () => {
    expect(templateSpec(ORDER)).toEqual({
      header: { format: 'TEXT', keys: ['1'] },
      body: ['1', '2', '3'],
      buttons: [{ index: 0, type: 'URL', keys: ['1'] }, { index: 1, type: 'QUICK_REPLY', keys: [] }, { index: 2, type: 'COPY_CODE', keys: ['coupon_code'] }],
    });
    expect(templateSpec(WELCOME)).toEqual({ header: { format: 'IMAGE', keys: [] }, body: ['first_name', 'shop'], buttons: [] });
  });
});

const ORDER_OK: Pick<TemplateContent, 'header' | 'body' | 'buttons'> = {
  header: [text('#42')],
  body: [text('Ann'), text('#42'), { type: 'date_time', fallback: 'May 1' }],
  buttons: [{ index: 0, subType: 'url', text: '42' }, { index: 2, subType: 'copy_code', couponCode: 'SAVE10' }],
};

describe('checkTemplateParams', () => {
  it.each<[string, StoredTemplate, Pick<TemplateContent, 'header' | 'body' | 'buttons'>, string[]]>([
    ['positional, all present', ORDER, ORDER_OK, []],
    ['quick reply payload is optional but accepted', ORDER, { ...ORDER_OK, buttons: [...ORDER_OK.buttons!, { index: 1, subType: 'quick_reply', payload: 'STOP' }] }, []],
    ['body too few', ORDER, { ...ORDER_OK, body: [text('Ann')] }, ['body_param_count']],
    ['body too many', ORDER, { ...ORDER_OK, body: [text('a'), text('b'), text('c'), text('d')] }, ['body_param_count']],
    ['header missing', ORDER, { ...ORDER_OK, header: [] }, ['header_param_count']],
    ['named param in positional template', ORDER, { ...ORDER_OK, body: [text('Ann', 'name'), text('b'), text('c')] }, ['positional_param_expected']],
    ['empty text', ORDER, { ...ORDER_OK, body: [text(' '), text('b'), text('c')] }, ['param_empty']],
    ['header text over 60', ORDER, { ...ORDER_OK, header: [text('x'.repeat(61))] }, ['param_too_long']],
    ['media in body', ORDER, { ...ORDER_OK, body: [{ type: 'image', mediaId: '1' }, text('b'), text('c')] }, ['param_type_invalid']],
    ['url button param missing', ORDER, { ...ORDER_OK, buttons: [{ index: 2, subType: 'copy_code', couponCode: 'X' }] }, ['button_param_missing']],
    ['button that does not exist', ORDER, { ...ORDER_OK, buttons: [...ORDER_OK.buttons!, { index: 5, subType: 'quick_reply', payload: 'x' }] }, ['button_param_unknown']],
    ['wrong button sub-type', ORDER, { ...ORDER_OK, buttons: [{ index: 0, subType: 'quick_reply', payload: 'x' }, ORDER_OK.buttons![1]!] }, ['button_param_type']],
    ['duplicate button param', ORDER, { ...ORDER_OK, buttons: [...ORDER_OK.buttons!, { index: 0, subType: 'url', text: '43' }] }, ['button_param_duplicate']],
    ['named, all present in any order', WELCOME, { header: [{ type: 'image', link: 'https://x.io/a.png' }], body: [text('Shop', 'shop'), text('Ann', 'first_name')] }, []],
    ['named, one missing and one unknown', WELCOME, { header: [{ type: 'image', mediaId: '1' }], body: [text('Ann', 'first_name'), text('x', 'city')] }, ['named_param_missing', 'named_param_unknown']],
    ['named template given positional values', WELCOME, { header: [{ type: 'image', mediaId: '1' }], body: [text('Ann'), text('Shop')] }, ['named_param_expected', 'named_param_expected', 'named_param_missing', 'named_param_missing']],
    ['media header of the wrong type', WELCOME, { header: [{ type: 'video', mediaId: '1' }], body: [text('Ann', 'first_name'), text('S', 'shop')] }, ['header_media_type']],
    ['media header missing', WELCOME, { body: [text('Ann', 'first_name'), text('S', 'shop')] }, ['header_param_count']],
    ['media header without a source', WELCOME, { header: [{ type: 'image' }], body: [text('Ann', 'first_name'), text('S', 'shop')] }, ['header_media_missing']],
    ['template without variables takes none', { ...ORDER, components: [{ type: 'BODY', text: 'Hello there' }] }, { body: [text('x')] }, ['body_param_count']],
    ['header params for a template with no header', { ...ORDER, components: [{ type: 'BODY', text: 'Hello there' }] }, { header: [text('x')] }, ['header_param_count']],
  ])('%s → %j', (_label, template, content, codes) => {
    expect(checkTemplateParams(template, content).map((i) => i.code)).toEqual(codes);
  });
});

describe('renderTemplate', () => {
  it('fills positional values by number, buttons and footer', () => {
    expect(renderTemplate(ORDER, ORDER_OK)).toEqual({
      header: { type: 'text', text: 'Order #42' },
      body: 'Hi Ann, your order #42 ships on May 1. Total #42 again.',
      footer: 'Reply STOP to opt out',
      buttons: [
        { type: 'URL', text: 'Track', url: 'https://shop.example/track/42' },
        { type: 'QUICK_REPLY', text: 'Stop' },
        { type: 'COPY_CODE', text: '' },
      ],
    });
  });

  it('fills named values by name and keeps missing ones visible', () => {
    const preview = renderTemplate(WELCOME, { body: [text('Ann', 'first_name')] });
    expect(preview.body).toBe('Hello Ann, welcome to {{shop}}! Your code is ready.');
    expect(preview.header).toEqual({ type: 'image' });
  });

  it('currency renders its fallback', () => {
    const t: StoredTemplate = { ...ORDER, components: [{ type: 'BODY', text: 'You owe {{1}} today.' }] };
    expect(renderTemplate(t, { body: [{ type: 'currency', fallback: '$10.00', code: 'USD', amount1000: 10000 }] }).body).toBe('You owe $10.00 today.');
  });
});

function draft(body: string, extra: Partial<TemplateDraft> = {}, more: TemplateDraft['components'] = []): TemplateDraft {
  return { name: 'order_note', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: body }, ...more], ...extra };
}

describe('lintTemplateDraft', () => {
  const GOOD = 'Hello {{1}}, your order {{2}} has shipped and will arrive soon. Thank you.';
  it.each<[string, TemplateDraft, string[]]>([
    ['a good draft', draft(GOOD), []],
    ['a draft without variables', draft('Your order has shipped.'), []],
    ['invalid name', draft(GOOD, { name: 'Order Note' }), ['name_invalid']],
    ['missing language', draft(GOOD, { language: ' ' }), ['language_missing']],
    ['missing body', { name: 'x', language: 'en', category: 'UTILITY', components: [] }, ['body_missing']],
    ['leading variable', draft('{{1}}, your order has shipped and will arrive very soon today.'), ['leading_variable']],
    ['trailing variable', draft('Your order has shipped and will arrive on {{1}}'), ['trailing_variable']],
    ['trailing variable with punctuation', draft('Your order has shipped and will arrive on {{1}}.'), ['trailing_variable']],
    ['adjacent variables', draft('Hello there {{1}} {{2}}, your order has shipped and will arrive today.'), ['adjacent_variables']],
    ['adjacent variables with punctuation only', draft('Hello there {{1}}, {{2}} your order has shipped and will arrive today.'), ['adjacent_variables']],
    ['non-sequential', draft('Hello {{1}}, your order {{3}} has shipped and will arrive soon. Thank you.'), ['non_sequential_variables']],
    ['starting at 2', draft('Hello {{2}}, your order has shipped and will arrive soon. Thank you.'), ['non_sequential_variables']],
    ['too many variables for length', draft('Hi {{1}} order {{2}} at {{3}} ok.'), ['too_many_variables']],
    ['exactly 3×n+1 words is enough', draft('Dear Guest, Reservation {{1}} arriving from {{2}} departs on {{3}} now.'), []],
    ['invalid variable', draft('Hello {{First Name}}, your order has shipped. Thanks.'), ['invalid_variable']],
    ['unbalanced braces', draft('Hello {{1}, your order has shipped and will arrive soon. Thanks.'), ['unbalanced_braces']],
    ['named variable in positional template', draft('Hello {{name}}, your order has shipped and will arrive soon. Thanks.'), ['variable_format_mismatch']],
    ['named template ok', draft('Hello {{first_name}}, your order has shipped and will arrive soon. Thanks.', { parameterFormat: 'named' }), []],
    ['body too long', draft('a '.repeat(513)), ['body_too_long']],
    ['url shortener in body', draft('Track your order at https://bit.ly/abc today please.'), ['url_shortener']],
    ['own domain ok', draft('Track your order at https://shop.example.com/track today please.'), []],
    ['header with two variables and too long', draft(GOOD, {}, [{ type: 'HEADER', format: 'TEXT', text: `{{1}} {{2}} ${'x'.repeat(60)}` }]), ['header_too_long', 'header_too_many_variables']],
    ['footer with a variable', draft(GOOD, {}, [{ type: 'FOOTER', text: 'Bye {{1}}' }]), ['footer_variables']],
    ['footer too long', draft(GOOD, {}, [{ type: 'FOOTER', text: 'x'.repeat(61) }]), ['footer_too_long']],
    ['11 buttons', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: Array.from({ length: 11 }, () => ({ type: 'QUICK_REPLY', text: 'ok' })) }]), ['too_many_buttons']],
    ['3 URL buttons', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [1, 2, 3].map(() => ({ type: 'URL', text: 'go', url: 'https://a.example' })) }]), ['too_many_url_buttons']],
    ['2 phone buttons', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'a', phone_number: '+1' }, { type: 'PHONE_NUMBER', text: 'b', phone_number: '+2' }] }]), ['too_many_phone_buttons']],
    ['quick replies split', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'a' }, { type: 'URL', text: 'u', url: 'https://a.example' }, { type: 'QUICK_REPLY', text: 'b' }] }]), ['quick_replies_not_grouped']],
    ['quick replies grouped', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'u', url: 'https://a.example' }, { type: 'QUICK_REPLY', text: 'a' }, { type: 'QUICK_REPLY', text: 'b' }] }]), []],
    ['button text too long', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] }]), ['button_text_too_long']],
    ['URL variable not at the end', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'go', url: 'https://a.example/{{1}}/x' }] }]), ['url_variable_position']],
    ['URL variable at the end', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'go', url: 'https://a.example/{{1}}' }] }]), []],
    ['URL button shortener', draft(GOOD, {}, [{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'go', url: 'https://tinyurl.com/x' }] }]), ['url_shortener']],
  ])('%s → %j', (_label, d, codes) => {
    expect(lintTemplateDraft(d).map((i) => i.code)).toEqual(codes);
  });

  it('every issue has a message', () => {
    for (const i of lintTemplateDraft(draft('{{1}} {{3}}'))) expect(i.message.length).toBeGreaterThan(5);
  });
});

describe('templateStatusAfterEvent', () => {
  it.each([
    ['APPROVED', 'APPROVED'], ['REJECTED', 'REJECTED'], ['PAUSED', 'PAUSED'], ['DISABLED', 'DISABLED'],
    ['FLAGGED', undefined], ['LIMIT_EXCEEDED', undefined], ['REINSTATED', 'APPROVED'], ['UNARCHIVED', 'APPROVED'],
  ] as const)('%s → %s', (event, status) => {
    expect(templateStatusAfterEvent(event)).toBe(status);
  });
});
