// Rule 9: a template send's parameters against the stored template — count (132000), named vs
// positional and parameter types (132012), parameter lengths (131009), hydrated length (132005).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, RU, startSandbox, template, type Harness } from './send-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startSandbox();
  h.addTemplate({
    name: 'shipping', components: [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
      { type: 'BODY', text: 'Hi {{1}}, your order ships on {{2}}.' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://t.example/{{1}}' }, { type: 'COPY_CODE', example: 'CODE1' }] },
    ],
  });
  h.addTemplate({ name: 'named', parameterFormat: 'NAMED', components: [{ type: 'BODY', text: 'Hi {{first_name}}, code {{code}}.' }] });
  h.addTemplate({ name: 'doc_header', components: [{ type: 'HEADER', format: 'DOCUMENT' }, { type: 'BODY', text: 'Your invoice.' }] });
  h.addTemplate({ name: 'long_body', components: [{ type: 'BODY', text: `${'x'.repeat(1000)} {{1}}` }, { type: 'FOOTER', text: 'f' }] });
  h.addTemplate({ name: 'body_only', components: [{ type: 'BODY', text: 'Report: {{1}}' }] });
});
afterEach(() => h.close());

const txt = (text: string, name?: string) => ({ type: 'text', text, ...(name ? { parameter_name: name } : {}) });
const header = (...p: unknown[]) => ({ type: 'header', parameters: p });
const body = (...p: unknown[]) => ({ type: 'body', parameters: p });
const urlButton = (index: number | string, text = 'abc') => ({ type: 'button', sub_type: 'url', index, parameters: [txt(text)] });
const copyButton = { type: 'button', sub_type: 'copy_code', index: '1', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE10' }] };
const shippingOk = [header(txt('#1')), body(txt('Ann'), txt('Monday')), urlButton('0'), copyButton];

const CASES: Array<[string, string, unknown[] | undefined, number]> = [
  ['too few body parameters', 'shipping', [header(txt('#1')), body(txt('Ann')), urlButton('0'), copyButton], 132000],
  ['too many body parameters', 'shipping', [header(txt('#1')), body(txt('Ann'), txt('Mon'), txt('extra')), urlButton('0'), copyButton], 132000],
  ['missing header parameter', 'shipping', [body(txt('Ann'), txt('Mon')), urlButton('0'), copyButton], 132000],
  ['no components at all', 'shipping', undefined, 132000],
  ['parameters for a template without any', 'hello_world', [body(txt('x'))], 132000],
  ['missing URL button parameter', 'shipping', [header(txt('#1')), body(txt('Ann'), txt('Mon')), copyButton], 132000],
  ['button index the template does not have', 'shipping', [...shippingOk, urlButton('5')], 132000],
  ['button sub_type not matching', 'shipping', [header(txt('#1')), body(txt('Ann'), txt('Mon')), { ...urlButton('0'), sub_type: 'quick_reply' }, copyButton], 132012],
  ['named parameters for a positional template', 'shipping', [header(txt('#1')), body(txt('Ann', 'a'), txt('Mon', 'b')), urlButton('0'), copyButton], 132012],
  ['positional parameters for a named template', 'named', [body(txt('Ann'), txt('42'))], 132012],
  ['unknown parameter_name', 'named', [body(txt('Ann', 'first_name'), txt('42', 'pin'))], 132000],
  ['image for a document header', 'doc_header', [header({ type: 'image', image: { link: 'https://e.com/a.png' } })], 132012],
  ['no media for a document header', 'doc_header', undefined, 132000],
  ['header text parameter over 60', 'shipping', [header(txt('h'.repeat(61))), body(txt('Ann'), txt('Mon')), urlButton('0'), copyButton], 131009],
  ['hydrated header over 60', 'shipping', [header(txt('h'.repeat(55))), body(txt('Ann'), txt('Mon')), urlButton('0'), copyButton], 132005],
  ['body parameter over 1024', 'shipping', [header(txt('#1')), body(txt('b'.repeat(1025)), txt('Mon')), urlButton('0'), copyButton], 131009],
  ['hydrated body over 1024', 'long_body', [body(txt('y'.repeat(30)))], 132005],
  ['body-only template parameter over 32768', 'body_only', [body(txt('z'.repeat(32769)))], 131009],
  ['image as a body parameter', 'body_only', [body({ type: 'image', image: { link: 'https://e.com/a.png' } })], 132012],
  ['coupon code over 15', 'shipping', [header(txt('#1')), body(txt('Ann'), txt('Mon')), urlButton('0'), { ...copyButton, parameters: [{ type: 'coupon_code', coupon_code: 'C'.repeat(16) }] }], 131009],
];

describe('template parameters (rule 9)', () => {
  it.each(CASES)('refuses %s', async (_name, name, components, code) => {
    const res = await h.send(template(RU, name, 'en_US', components));
    expect(errorOf(res).code, res.body).toBe(code);
    expect(h.ctx.state.outbound.size).toBe(0);
  });

  it('accepts matching parameters of every shape', async () => {
    const ok = async (name: string, components: unknown[]) => {
      const res = await h.send(template(RU, name, 'en_US', components));
      expect(res.statusCode, res.body).toBe(200);
    };
    await ok('shipping', shippingOk);
    await ok('named', [body(txt('42', 'code'), txt('Ann', 'first_name'))]);
    await ok('doc_header', [header({ type: 'document', document: { link: 'https://e.com/a.pdf', filename: 'a.pdf' } })]);
    await ok('long_body', [body(txt('y'.repeat(20)))]);
    await ok('body_only', [body(txt('z'.repeat(5000)))]);
    await ok('body_only', [body({ type: 'date_time', date_time: { fallback_value: 'May 1' } })]);
  });
});
