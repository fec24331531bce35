import { describe, expect, it } from 'vitest';
import { OUTBOUND_TYPES, checkOutboundContent, type OutboundContent } from './message-content.js';

describe('checkOutboundContent', () => {
  const long = (n: number) => 'x'.repeat(n);
  const codes = (c: OutboundContent) => checkOutboundContent(c).map((i) => i.code);

  it.each<[string, OutboundContent, string[]]>([
    ['text ok', { type: 'text', body: 'hi' }, []],
    ['text 4096 ok', { type: 'text', body: long(4096) }, []],
    ['text 4097 too long', { type: 'text', body: long(4097) }, ['content_too_long']],
    ['text empty', { type: 'text', body: '  ' }, ['content_required']],
    ['emoji counts as one character', { type: 'text', body: '😀'.repeat(4096) }, []],
    ['image without source', { type: 'image' }, ['media_source_missing']],
    ['image with both sources', { type: 'image', mediaId: '1', link: 'https://x' }, ['media_source_ambiguous']],
    ['image with a non-http link', { type: 'image', link: 'ftp://x' }, ['media_link_invalid']],
    ['caption 1025', { type: 'video', mediaId: '1', caption: long(1025) }, ['content_too_long']],
    ['location out of range', { type: 'location', latitude: 91, longitude: 0 }, ['location_invalid']],
    ['location NaN', { type: 'location', latitude: Number.NaN, longitude: 0 }, ['location_invalid']],
    ['contacts empty', { type: 'contacts', contacts: [] }, ['contacts_empty']],
    ['contact without formatted name', { type: 'contacts', contacts: [{ name: { formattedName: '', firstName: 'A' } }] }, ['content_required']],
    ['contact with formattedName alone', { type: 'contacts', contacts: [{ name: { formattedName: 'Ann Lee' } }] }, ['contact_name_part_missing']],
    ['contact with a blank name part', { type: 'contacts', contacts: [{ name: { formattedName: 'Ann Lee', lastName: ' ' } }] }, ['contact_name_part_missing']],
    ['contact with a name part ok', { type: 'contacts', contacts: [{ name: { formattedName: 'Dr. Lee', prefix: 'Dr.' } }] }, []],
    ['reaction of two emoji', { type: 'reaction', messageWamid: 'w', emoji: '👍👍' }, ['reaction_emoji_invalid']],
    ['reaction flag ok', { type: 'reaction', messageWamid: 'w', emoji: '🇧🇷' }, []],
    ['duplicate button ids', { type: 'buttons', body: 'b', buttons: [{ id: '1', title: 'A' }, { id: '1', title: 'B' }] }, ['button_id_duplicate']],
    ['empty text header', { type: 'buttons', body: 'b', header: { type: 'text', text: '' }, buttons: [{ id: '1', title: 'A' }] }, ['content_required']],
    ['media link without a host', { type: 'image', link: 'https://' }, ['media_link_invalid']],
    ['template text param with a new line', { type: 'template', name: 'n', language: 'en', body: [{ type: 'text', text: 'a\nb' }] }, ['template_param_layout']],
    ['template text param with 5 spaces', { type: 'template', name: 'n', language: 'en', header: [{ type: 'text', text: 'a     b' }] }, ['template_param_layout']],
    ['reaction ok', { type: 'reaction', messageWamid: 'w', emoji: '👍🏽' }, []],
    ['reaction family emoji ok', { type: 'reaction', messageWamid: 'w', emoji: '👨‍👩‍👧' }, []],
    ['reaction text', { type: 'reaction', messageWamid: 'w', emoji: 'ok' }, ['reaction_emoji_invalid']],
    ['reaction removal ok', { type: 'reaction', messageWamid: 'w', emoji: '' }, []],
    ['4 buttons', { type: 'buttons', body: 'b', buttons: [1, 2, 3, 4].map((i) => ({ id: `${i}`, title: `t${i}` })) }, ['buttons_count']],
    ['0 buttons', { type: 'buttons', body: 'b', buttons: [] }, ['buttons_count']],
    ['duplicate button titles', { type: 'buttons', body: 'b', buttons: [{ id: '1', title: 'A' }, { id: '2', title: 'A' }] }, ['button_title_duplicate']],
    ['button title 21', { type: 'buttons', body: 'b', buttons: [{ id: '1', title: long(21) }] }, ['content_too_long']],
    ['button id with spaces', { type: 'buttons', body: 'b', buttons: [{ id: ' 1', title: 'A' }] }, ['button_id_spaces']],
    ['interactive body 1025', { type: 'buttons', body: long(1025), buttons: [{ id: '1', title: 'A' }] }, ['content_too_long']],
    ['list of 11 rows', { type: 'list', body: 'b', buttonText: 'Go', sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: 'T' })) }] }, ['list_rows_count']],
    ['list two sections need titles', { type: 'list', body: 'b', buttonText: 'Go', sections: [{ rows: [{ id: 'a', title: 'A' }] }, { title: 'S', rows: [{ id: 'b', title: 'B' }] }] }, ['content_required']],
    ['list duplicate row id', { type: 'list', body: 'b', buttonText: 'Go', sections: [{ rows: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] }] }, ['list_row_id_duplicate']],
    ['list image header', { type: 'list', body: 'b', buttonText: 'Go', header: { type: 'image', mediaId: '1' }, sections: [{ rows: [{ id: 'a', title: 'A' }] }] }, ['list_header_type']],
    ['cta url bad', { type: 'cta_url', body: 'b', displayText: 'Go', url: 'javascript:alert(1)' }, ['cta_url_invalid']],
    ['cta display text 21', { type: 'cta_url', body: 'b', displayText: long(21), url: 'https://x.io' }, ['content_too_long']],
    ['template without name', { type: 'template', name: '', language: 'en' }, ['content_required']],
  ])('%s → %j', (_label, content, expected) => {
    expect(codes(content)).toEqual(expected);
  });
});

describe('OUTBOUND_TYPES', () => {
  it('lists every content type once', () => {
    expect(new Set(OUTBOUND_TYPES).size).toBe(OUTBOUND_TYPES.length);
    expect(OUTBOUND_TYPES).toContain('cta_url');
  });
});
