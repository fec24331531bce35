import { describe, expect, it } from 'vitest';
import { checkAttachment, formatSize, mimeOf } from './media-rules.js';

const MB = 1024 * 1024;

describe('checkAttachment', () => {
  it('takes a PNG up to 5 MB as an image and refuses it above, saying the limit', () => {
    expect(checkAttachment({ name: 'a.png', type: 'image/png', size: 5 * MB })).toEqual({ ok: true, kind: 'image', mimeType: 'image/png' });
    expect(checkAttachment({ name: 'a.png', type: 'image/png', size: 5 * MB + 1 })).toEqual({
      ok: false, key: 'composer.file.tooLarge', vars: { name: 'a.png', size: '5.0 MB', max: '5.0 MB', kind: 'image' },
    });
  });
  it('allows 16 MB of video and 100 MB of PDF', () => {
    expect(checkAttachment({ name: 'v.mp4', type: 'video/mp4', size: 16 * MB }).ok).toBe(true);
    expect(checkAttachment({ name: 'v.mp4', type: 'video/mp4', size: 16 * MB + 1 }).ok).toBe(false);
    expect(checkAttachment({ name: 'd.pdf', type: 'application/pdf', size: 100 * MB })).toMatchObject({ ok: true, kind: 'document' });
  });
  it('refuses GIF, WebP and webm audio by name', () => {
    expect(checkAttachment({ name: 'x.gif', type: 'image/gif', size: 10 })).toMatchObject({ ok: false, key: 'composer.file.wrongType', vars: { type: 'image/gif' } });
    expect(checkAttachment({ name: 's.webp', type: 'image/webp', size: 10 })).toMatchObject({ ok: false, vars: { type: 'WebP' } });
    expect(checkAttachment({ name: 'n.webm', type: 'audio/webm', size: 10 }).ok).toBe(false);
    expect(checkAttachment({ name: 'e.txt', type: 'text/plain', size: 0 })).toMatchObject({ ok: false, key: 'composer.file.empty' });
  });
  it('falls back to the extension when the browser gives no type', () => {
    expect(mimeOf({ name: 'Report.DOCX', type: '' })).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(mimeOf({ name: 'voice.opus', type: 'application/octet-stream' })).toBe('audio/ogg');
    expect(mimeOf({ name: 'x.bin', type: 'image/png; charset=x' })).toBe('image/png');
  });
  it('formats sizes', () => {
    expect(formatSize(512 * 1024)).toBe('512 KB');
    expect(formatSize(23 * MB)).toBe('23 MB');
  });
});
