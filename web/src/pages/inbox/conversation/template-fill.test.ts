// Template variables, preview filling and the content sent, for positional and named templates.
import { describe, expect, it } from 'vitest';
import { fillText, missingValues, placeholderKeys, templateContent, templateFields, valuesFromParams } from './template-fill.js';

const positional = {
  name: 'order_update', language: 'en_US', parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way. {{1}}!' }],
};
const named = {
  name: 'welcome', language: 'ru', parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello {{first_name}}' },
    { type: 'BODY', text: 'Your code is {{code}}.' },
    { type: 'FOOTER', text: 'Demo Shop' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' }, { type: 'QUICK_REPLY', text: 'Stop' }] },
  ],
};
const media = { name: 'promo', language: 'en', parameterFormat: 'POSITIONAL', components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'New!' }] };

describe('template-fill', () => {
  it('lists distinct placeholders in order', () => {
    expect(placeholderKeys('{{2}} {{1}} {{2}} {{ name }}')).toEqual(['2', '1', 'name']);
    expect(placeholderKeys(undefined)).toEqual([]);
  });

  it('finds the fields of a named template with header, footer and a URL button', () => {
    const f = templateFields(named);
    expect(f.named).toBe(true);
    expect(f.header).toEqual({ format: 'TEXT', text: 'Hello {{first_name}}', keys: ['first_name'] });
    expect(f.body.keys).toEqual(['code']);
    expect(f.footer).toBe('Demo Shop');
    expect(f.buttons.map((b) => b.keys)).toEqual([['1'], []]);
  });

  it('fills the preview, leaving missing values visible', () => {
    expect(fillText(positional.components[0]!.text, { 'body.1': 'Ann' }, 'body')).toBe('Hi Ann, your order {{2}} is on its way. Ann!');
  });

  it('says which values are missing', () => {
    expect(missingValues(templateFields(named), { 'header.first_name': 'Ann', 'body.code': ' ' })).toEqual(['body.code', 'button.0']);
    expect(missingValues(templateFields(media), {})).toEqual(['header.media']);
    expect(missingValues(templateFields(positional), { 'body.1': 'a', 'body.2': 'b' })).toEqual([]);
  });

  it('builds positional content without paramName', () => {
    expect(templateContent(positional, { 'body.1': 'Ann', 'body.2': '#1042' })).toEqual({
      type: 'template', name: 'order_update', language: 'en_US',
      body: [{ type: 'text', text: 'Ann' }, { type: 'text', text: '#1042' }],
    });
  });

  it('builds named content with paramName, header and URL button parameters', () => {
    expect(templateContent(named, { 'header.first_name': 'Ann', 'body.code': '1234', 'button.0': 'abc' })).toEqual({
      type: 'template', name: 'welcome', language: 'ru',
      header: [{ type: 'text', text: 'Ann', paramName: 'first_name' }],
      body: [{ type: 'text', text: '1234', paramName: 'code' }],
      buttons: [{ index: 0, subType: 'url', text: 'abc' }],
    });
  });

  it('sends a media header as a link', () => {
    expect(templateContent(media, { 'header.media': 'https://x.example/a.jpg' })).toEqual({
      type: 'template', name: 'promo', language: 'en', header: [{ type: 'image', link: 'https://x.example/a.jpg' }],
    });
  });

  it('reads values back from stored params', () => {
    expect(valuesFromParams({ body: [{ type: 'text', text: 'Ann' }, { type: 'currency', fallback: '$5' }] })).toEqual({ 'body.1': 'Ann', 'body.2': '$5' });
    expect(valuesFromParams({ header: [{ type: 'text', text: 'A', paramName: 'n' }] })).toEqual({ 'header.n': 'A' });
    expect(valuesFromParams(null)).toEqual({});
  });
});
