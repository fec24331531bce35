import { describe, expect, it } from 'vitest';
import { PREVIEW_LENGTH, previewOf } from './message-preview.js';

describe('previewOf', () => {
  it.each<[string, string, unknown, string | null]>([
    ['text', 'text', { type: 'text', body: 'Hello' }, 'Hello'],
    ['whitespace collapsed', 'text', { body: ' a\n\n b\tc ' }, 'a b c'],
    ['image caption', 'image', { caption: 'Receipt' }, 'Receipt'],
    ['document without caption → filename', 'document', { filename: 'invoice.pdf' }, 'invoice.pdf'],
    ['sticker has no text', 'sticker', { mediaId: 'm1' }, null],
    ['template → its name', 'template', { name: 'order_update', language: 'ru' }, 'order_update'],
    ['location', 'location', { latitude: 1, longitude: 2, name: 'Office', address: null }, 'Office'],
    ['reaction', 'reaction', { emoji: '👍', targetWamid: 'w' }, '👍'],
    ['removed reaction', 'reaction', { emoji: null }, null],
    ['quick-reply button', 'button', { payload: 'P', text: 'Yes' }, 'Yes'],
    ['list reply', 'list_reply', { id: '1', title: 'Option A' }, 'Option A'],
    ['contacts card', 'contacts', { contacts: [{ name: { formattedName: 'Ann Lee' } }] }, 'Ann Lee'],
    ['interactive buttons → body', 'buttons', { body: 'Pick one', buttons: [] }, 'Pick one'],
    ['order → text', 'order', { text: 'Two please', items: [] }, 'Two please'],
    ['not an object', 'text', 'oops', null],
    ['empty body', 'text', { body: '   ' }, null],
  ])('%s', (_name, type, content, expected) => {
    expect(previewOf(type, content)).toBe(expected);
  });

  it('cuts long text at PREVIEW_LENGTH code points with an ellipsis, never inside a surrogate pair', () => {
    const long = '😀'.repeat(PREVIEW_LENGTH + 5);
    const preview = previewOf('text', { body: long })!;
    expect(Array.from(preview)).toHaveLength(PREVIEW_LENGTH);
    expect(preview.endsWith('😀…')).toBe(true);
    expect(previewOf('text', { body: 'x'.repeat(PREVIEW_LENGTH) })).toBe('x'.repeat(PREVIEW_LENGTH));
  });
});
