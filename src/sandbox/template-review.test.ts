// Table-driven tests of the pure template review: each rejection rule, the UTILITY → MARKETING
// re-categorisation, approvals, and which problems are synchronous creation errors.

import { describe, expect, it } from 'vitest';
import type { WireTemplateButton, WireTemplateComponent } from '../cloudapi/wire.js';
import { firstSyncProblem, type TemplateDraft } from './template-rules.js';
import { looksPromotional, presetAuthenticationComponents, reviewTemplate, type ExistingTemplate } from './template-review.js';

const GOOD_BODY = 'Hello {{1}}, your order is ready for pickup at our store today.';

function body(text: string, samples?: string[]): WireTemplateComponent {
  return { type: 'BODY', text, ...(samples ? { example: { body_text: [samples] } } : {}) };
}

function draft(over: Partial<TemplateDraft> = {}): TemplateDraft {
  return { name: 'order_ready', language: 'en_US', category: 'UTILITY', parameterFormat: 'POSITIONAL', components: [body(GOOD_BODY, ['Ann'])], ...over };
}

function withButtons(buttons: WireTemplateButton[]): TemplateDraft {
  return draft({ components: [body(GOOD_BODY, ['Ann']), { type: 'BUTTONS', buttons }] });
}

const qr = (text = 'Yes'): WireTemplateButton => ({ type: 'QUICK_REPLY', text });
const urlButton = (url = 'https://shop.example.com/orders'): WireTemplateButton => ({ type: 'URL', text: 'Open', url });
const phoneButton: WireTemplateButton = { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550001111' };
const copyCode: WireTemplateButton = { type: 'COPY_CODE', example: 'SAVE10' };

function auth(components: WireTemplateComponent[]): TemplateDraft {
  return draft({ name: 'login_code', category: 'AUTHENTICATION', components });
}
const otpButtons: WireTemplateComponent = { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] };

describe('reviewTemplate rejections (INVALID_FORMAT unless noted)', () => {
  const cases: Array<[string, TemplateDraft, string]> = [
    ['upper-case name', draft({ name: 'Order_Ready' }), 'name_format'],
    ['name with a dash', draft({ name: 'order-ready' }), 'name_format'],
    ['name over 512 characters', draft({ name: 'a'.repeat(513) }), 'name_length'],
    ['bad language code', draft({ language: 'english' }), 'language'],
    ['variable at the start', draft({ components: [body('{{1}}, your order is ready for pickup at our store today.', ['Ann'])] }), 'body_leading_trailing_variable'],
    ['variable at the end', draft({ components: [body('Your order is ready for pickup at our store today, {{1}}', ['Ann'])] }), 'body_leading_trailing_variable'],
    ['adjacent variables', draft({ components: [body('Hello {{1}}{{2}}, your order is ready for pickup at our store today.', ['Ann', 'Lee'])] }), 'body_adjacent_variables'],
    ['variables separated only by a space', draft({ components: [body('Hello {{1}} {{2}}, your order is ready for pickup at our store today.', ['Ann', 'Lee'])] }), 'body_adjacent_variables'],
    ['non-sequential variables', draft({ components: [body('Hello {{1}}, your order {{3}} is ready for pickup at our store today.', ['Ann', '42'])] }), 'body_variables_not_sequential'],
    ['too many variables for the length', draft({ components: [body('Hi {{1}} and {{2}} or {{3}} now.', ['a', 'b', 'c'])] }), 'body_variable_ratio'],
    ['missing example for a variable', draft({ components: [body(GOOD_BODY)] }), 'body_example_missing'],
    ['too few examples', draft({ components: [body('Hello {{1}}, your order {{2}} is ready for pickup at our store today.', ['Ann'])] }), 'body_example_missing'],
    ['named variables without named examples', draft({ parameterFormat: 'NAMED', components: [body('Hello {{first_name}}, your order is ready for pickup at our store today.')] }), 'body_example_missing'],
    ['special characters in a variable', draft({ components: [body('Hello {{#1}}, your order is ready for pickup at our store today.', ['Ann'])] }), 'body_variable_characters'],
    ['mismatched braces', draft({ components: [body('Hello {{1}, your order is ready for pickup at our store today.', ['Ann'])] }), 'body_braces'],
    ['named variable in a positional template', draft({ components: [body('Hello {{name}}, your order is ready for pickup at our store today.', ['Ann'])] }), 'body_variable_format'],
    ['URL shortener bit.ly', draft({ components: [body('Track your parcel at https://bit.ly/abc123 whenever you like.')] }), 'url_shortener'],
    ['URL shortener t.co in a button', withButtons([urlButton('https://t.co/xyz')]), 'url_shortener'],
    ['body over 1024 characters', draft({ components: [body('Your order is ready. ' + 'x'.repeat(1010))] }), 'body_length'],
    ['no body', draft({ components: [{ type: 'FOOTER', text: 'Thanks' }] }), 'body_missing'],
    ['unknown component', draft({ components: [body(GOOD_BODY, ['Ann']), { type: 'SIDEBAR', text: 'x' }] }), 'component_type'],
    ['two bodies', draft({ components: [body(GOOD_BODY, ['Ann']), body('Another body text here for you.')] }), 'component_duplicate'],
    ['header over 60 characters', draft({ components: [{ type: 'HEADER', format: 'TEXT', text: 'h'.repeat(61) }, body(GOOD_BODY, ['Ann'])] }), 'header_length'],
    ['header with two variables', draft({ components: [{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}} {{2}}', example: { header_text: ['a', 'b'] } }, body(GOOD_BODY, ['Ann'])] }), 'header_variables'],
    ['header variable without example', draft({ components: [{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' }, body(GOOD_BODY, ['Ann'])] }), 'header_example_missing'],
    ['image header without sample', draft({ components: [{ type: 'HEADER', format: 'IMAGE' }, body(GOOD_BODY, ['Ann'])] }), 'header_media_example_missing'],
    ['unknown header format', draft({ components: [{ type: 'HEADER', format: 'AUDIO' }, body(GOOD_BODY, ['Ann'])] }), 'header_format'],
    ['footer over 60 characters', draft({ components: [body(GOOD_BODY, ['Ann']), { type: 'FOOTER', text: 'f'.repeat(61) }] }), 'footer_length'],
    ['footer with a variable', draft({ components: [body(GOOD_BODY, ['Ann']), { type: 'FOOTER', text: 'Ref {{1}}' }] }), 'footer_variables'],
    ['11 buttons', withButtons(Array.from({ length: 11 }, (_, i) => qr(`Option ${i}`))), 'buttons_count'],
    ['3 URL buttons', withButtons([urlButton(), urlButton(), urlButton()]), 'buttons_url_count'],
    ['2 phone buttons', withButtons([phoneButton, phoneButton]), 'buttons_phone_count'],
    ['2 copy code buttons', withButtons([copyCode, copyCode]), 'buttons_copy_code_count'],
    ['quick replies not grouped', withButtons([qr(), urlButton(), qr('No')]), 'buttons_grouping'],
    ['button text over 25 characters', withButtons([qr('b'.repeat(26))]), 'button_text_length'],
    ['URL over 2000 characters', withButtons([urlButton('https://shop.example.com/' + 'p'.repeat(2000))]), 'button_url_length'],
    ['URL variable not at the end', withButtons([urlButton('https://shop.example.com/{{1}}/track')]), 'button_url_variable'],
    ['URL variable without example', withButtons([urlButton('https://shop.example.com/orders/{{1}}')]), 'button_url_example_missing'],
    ['copy code example over 15 characters', withButtons([{ type: 'COPY_CODE', example: 'C'.repeat(16) }]), 'button_copy_code'],
    ['OTP button outside authentication', withButtons([{ type: 'OTP', otp_type: 'COPY_CODE' }]), 'button_otp_category'],
    ['authentication with a URL', auth([body('Your code is {{1}}. More at https://example.com/help'), otpButtons]), 'auth_url'],
    ['authentication with emoji', auth([body('Your code is {{1}} 🔐'), otpButtons]), 'auth_emoji'],
    ['authentication with a media header', auth([{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW'] } }, { type: 'BODY', add_security_recommendation: true }, otpButtons]), 'auth_media'],
    ['authentication without OTP button', auth([{ type: 'BODY', add_security_recommendation: true }]), 'auth_otp_button'],
    ['authentication with a bad otp_type', auth([{ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'MAGIC' as 'COPY_CODE' }] }]), 'auth_otp_type'],
    ['authentication code expiry over 90 minutes', auth([{ type: 'BODY' }, { type: 'FOOTER', code_expiration_minutes: 91 }, otpButtons]), 'auth_code_expiration'],
  ];
  it.each(cases)('%s → REJECTED (%s)', (_label, d, rule) => {
    const outcome = reviewTemplate(d, []);
    expect(outcome).toMatchObject({ status: 'REJECTED', reason: 'INVALID_FORMAT', rule });
    expect(outcome.rejectionInfo?.reason).toBeTruthy();
    expect(outcome.rejectionInfo?.recommendation).toBeTruthy();
  });
});

describe('reviewTemplate content decisions', () => {
  const existing = (over: Partial<ExistingTemplate> = {}): ExistingTemplate => ({
    id: '1', name: 'order_ready_old', language: 'en_US', category: 'UTILITY', status: 'APPROVED', components: [body(GOOD_BODY, ['Bob'])], ...over,
  });

  it('approves a clean utility template as submitted', () => {
    expect(reviewTemplate(draft(), [])).toEqual({ status: 'APPROVED', category: 'UTILITY', reason: 'NONE' });
  });

  it('rejects a duplicate of an existing template body and footer', () => {
    expect(reviewTemplate(draft(), [existing()])).toMatchObject({ status: 'REJECTED', reason: 'INVALID_FORMAT', rule: 'duplicate_content' });
  });

  it('does not count a different footer, a rejected template or an authentication template as duplicates', () => {
    const withFooter = draft({ components: [body(GOOD_BODY, ['Ann']), { type: 'FOOTER', text: 'Thank you' }] });
    expect(reviewTemplate(withFooter, [existing()]).status).toBe('APPROVED');
    expect(reviewTemplate(draft(), [existing({ status: 'REJECTED' })]).status).toBe('APPROVED');
    expect(reviewTemplate(draft(), [existing({ category: 'AUTHENTICATION' })]).status).toBe('APPROVED');
  });

  it('rejects passcodes outside AUTHENTICATION as INCORRECT_CATEGORY', () => {
    const d = draft({ components: [body('Your verification code is {{1}}. Do not share it with anyone at all.', ['123456'])] });
    expect(reviewTemplate(d, [])).toMatchObject({ status: 'REJECTED', reason: 'INCORRECT_CATEGORY', rule: 'otp_outside_authentication' });
    expect(reviewTemplate(d, []).rejectionInfo).toBeUndefined();
  });

  const promotional: Array<[string, string]> = [
    ['percent off', 'Hello {{1}}, enjoy 20% off all shoes in our store this weekend only.'],
    ['sale', 'Hello {{1}}, our summer sale starts tomorrow morning in every store.'],
    ['promo code', 'Hello {{1}}, use promo code WELCOME on your next order with us.'],
    ['скидка', 'Здравствуйте, {{1}}! Только сегодня скидка на все товары в нашем магазине.'],
    ['акция', 'Здравствуйте, {{1}}! В магазине проходит акция для постоянных покупателей.'],
    ['распродажа', 'Здравствуйте, {{1}}! Большая распродажа начинается завтра утром.'],
  ];
  it.each(promotional)('re-categorises promotional UTILITY (%s) as MARKETING', (_label, text) => {
    const outcome = reviewTemplate(draft({ components: [body(text, ['Ann'])] }), []);
    expect(outcome).toEqual({ status: 'APPROVED', category: 'MARKETING', previousCategory: 'UTILITY', reason: 'NONE', rule: 'promotional_utility' });
  });

  it('keeps MARKETING as submitted and does not flag words that only contain a keyword', () => {
    const promo = draft({ category: 'MARKETING', components: [body('Hello {{1}}, enjoy 20% off all shoes this weekend only.', ['Ann'])] });
    expect(reviewTemplate(promo, [])).toEqual({ status: 'APPROVED', category: 'MARKETING', reason: 'NONE' });
    const shareholder = draft({ components: [body('Уважаемый акционер {{1}}, собрание состоится завтра в нашем офисе.', ['Анна'])] });
    expect(reviewTemplate(shareholder, [])).toEqual({ status: 'APPROVED', category: 'UTILITY', reason: 'NONE' });
  });

  it('approves an authentication OTP template and rejects promotional authentication content', () => {
    const ok = auth([{ type: 'BODY', add_security_recommendation: true }, { type: 'FOOTER', code_expiration_minutes: 10 }, otpButtons]);
    expect(reviewTemplate(ok, [])).toEqual({ status: 'APPROVED', category: 'AUTHENTICATION', reason: 'NONE' });
    const promo = auth([body('Your code is {{1}}. Get 50% off your next order.'), otpButtons]);
    expect(reviewTemplate(promo, [])).toMatchObject({ status: 'REJECTED', reason: 'PROMOTIONAL' });
  });
});

describe('synchronous creation errors', () => {
  const cases: Array<[string, TemplateDraft, number | undefined]> = [
    ['leading variable → 2388299', draft({ components: [body('{{1}}, your order is ready for pickup at our store today.', ['Ann'])] }), 2388299],
    ['too many variables → 2388293', draft({ components: [body('Hi {{1}} and {{2}} or {{3}} now.', ['a', 'b', 'c'])] }), 2388293],
    ['body too long → 2388040', draft({ components: [body('Your order is ready. ' + 'x'.repeat(1010))] }), 2388040],
    ['header with two variables → 2388047', draft({ components: [{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}} {{2}}', example: { header_text: ['a', 'b'] } }, body(GOOD_BODY, ['Ann'])] }), 2388047],
    ['footer variable → 2388073', draft({ components: [body(GOOD_BODY, ['Ann']), { type: 'FOOTER', text: 'Ref {{1}}' }] }), 2388073],
    ['no body → 2388072', draft({ components: [{ type: 'FOOTER', text: 'Thanks' }] }), 2388072],
  ];
  it.each(cases)('%s', (_label, d, subcode) => {
    expect(firstSyncProblem(d)?.sync?.subcode).toBe(subcode);
  });

  it('leaves review-only problems (adjacent variables, missing examples, shorteners) for the review', () => {
    expect(firstSyncProblem(draft({ components: [body('Hello {{1}}{{2}}, your order is ready for pickup at our store today.', ['a', 'b'])] }))).toBeUndefined();
    expect(firstSyncProblem(draft({ components: [body(GOOD_BODY)] }))).toBeUndefined();
    expect(firstSyncProblem(draft({ components: [body('Track it at https://bit.ly/x whenever you like.')] }))).toBeUndefined();
    expect(firstSyncProblem(draft())).toBeUndefined();
  });
});

describe('helpers', () => {
  it.each([
    ['Big SALE today', true], ['10 % off', true], ['We have a great deal for you', true], ['Your salesperson called', false],
    ['Your order shipped', false], ['Скидки до 50%', true], ['Акционерное общество', false],
  ])('looksPromotional(%j) = %s', (text, expected) => {
    expect(looksPromotional(text)).toBe(expected);
  });

  it('stores authentication templates with the preset body, expiry footer and OTP as a URL button', () => {
    const stored = presetAuthenticationComponents([{ type: 'BODY', add_security_recommendation: true }, { type: 'FOOTER', code_expiration_minutes: 5 }, otpButtons]);
    expect(stored[0]).toMatchObject({ type: 'BODY', text: '*{{1}}* is your verification code. For your security, do not share this code.' });
    expect(stored[1]).toMatchObject({ type: 'FOOTER', text: 'This code expires in 5 minutes.' });
    expect(stored[2]?.buttons?.[0]).toMatchObject({ type: 'URL', text: 'Copy code' });
    expect(stored[2]?.buttons?.[0]?.url).toMatch(/otp_type=COPY_CODE&code_expiration_minutes=5&code=otp\{\{1\}\}$/);
  });
});
