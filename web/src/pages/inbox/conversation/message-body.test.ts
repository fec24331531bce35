// Where a bubble loads its file from: Parley's copy, never Meta's id as ours, never a non-http link.
import { describe, expect, it } from 'vitest';
import { mediaUrl } from './message-body.js';
import { formatBytes } from './document-card.js';

describe('mediaUrl', () => {
  it.each([
    [{ direction: 'in', mediaId: null, content: { type: 'image', mediaId: '1234567890' } }, null],
    [{ direction: 'in', mediaId: 'med_1', content: { type: 'image', mediaId: '1234567890' } }, '/api/v1/media/med_1/content'],
    [{ direction: 'out', mediaId: null, content: { type: 'image', mediaId: 'med_2' } }, '/api/v1/media/med_2/content'],
    [{ direction: 'out', mediaId: null, content: { type: 'image', link: 'https://cdn.example/a.png' } }, 'https://cdn.example/a.png'],
    [{ direction: 'out', mediaId: null, content: { type: 'image', link: 'javascript:alert(1)' } }, null],
    [{ direction: 'out', mediaId: 'a/b?c', content: {} }, '/api/v1/media/a%2Fb%3Fc/content'],
  ] as const)('%j → %s', (m, url) => {
    expect(mediaUrl(m as never)).toBe(url);
  });
});

describe('formatBytes', () => {
  it.each([[0, '0', 'B'], [1023, '1,023', 'B'], [1536, '1.5', 'KB'], [25 * 1024 * 1024, '25', 'MB']] as const)('%d', (n, value, unit) => {
    expect(formatBytes(n)).toEqual({ value, unit });
  });
});
