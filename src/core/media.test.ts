import { describe, expect, it } from 'vitest';
import { UPLOAD_TTL_MS, bareMime, isUploadableMime, mediaSendProblem, mediaSourcesOf, type SendMediaKind, type StoredMediaFacts } from './media.js';

describe('isUploadableMime', () => {
  it.each([
    ['image/jpeg', true], ['image/png', true], ['IMAGE/PNG; charset=binary', true], ['image/webp', true],
    ['image/gif', false], ['video/mp4', true], ['video/quicktime', false], ['audio/ogg', true], ['audio/wav', false],
    ['application/pdf', true], ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', true],
    ['application/x-sh', false], ['text/plain', true], ['text/html', false], ['', false],
  ] as const)('%s → %s', (mime, ok) => {
    expect(isUploadableMime(mime)).toBe(ok);
  });

  it('strips parameters and case', () => {
    expect(bareMime(' Image/PNG ; q=1')).toBe('image/png');
  });
});

describe('mediaSourcesOf', () => {
  it('finds media in media messages, interactive headers and template parameters', () => {
    expect(mediaSourcesOf({ type: 'sticker', mediaId: 'm' }).map((r) => [r.path, r.kind])).toEqual([['content', 'sticker']]);
    expect(mediaSourcesOf({ type: 'buttons', body: 'b', header: { type: 'video', mediaId: 'm' }, buttons: [] }).map((r) => [r.path, r.kind]))
      .toEqual([['content.header', 'video']]);
    expect(mediaSourcesOf({ type: 'buttons', body: 'b', header: { type: 'text', text: 't' }, buttons: [] })).toEqual([]);
    expect(mediaSourcesOf({
      type: 'template', name: 'n', language: 'en', header: [{ type: 'document', mediaId: 'm' }], body: [{ type: 'text', text: 'x' }, { type: 'image', link: 'https://x.io/a.png' }],
    }).map((r) => [r.path, r.kind])).toEqual([['content.header[0]', 'document'], ['content.body[1]', 'image']]);
    expect(mediaSourcesOf({ type: 'text', body: 'hi' })).toEqual([]);
  });
});

describe('mediaSendProblem', () => {
  const now = 1_800_000_000_000;
  const upload: StoredMediaFacts = { id: 'med_1', inboxId: 'inb_1', direction: 'out', metaMediaId: '123', mimeType: 'image/png', createdAt: now - 1000 };
  const want: { kind: SendMediaKind; inboxId: string; now: number; path: string } = { kind: 'image', inboxId: 'inb_1', now, path: 'content' };
  it.each<[string, StoredMediaFacts, Partial<typeof want>, RegExp | undefined]>([
    ['an upload of this inbox', upload, {}, undefined],
    ['another inbox', upload, { inboxId: 'inb_2' }, /another inbox/],
    ['never uploaded to Meta', { ...upload, metaMediaId: null }, {}, /never uploaded/],
    ['30 days old', { ...upload, createdAt: now - UPLOAD_TTL_MS }, {}, /expired/],
    ['a PNG as a sticker', upload, { kind: 'sticker' }, /image\/png.*sticker/],
    ['a PNG as a document', upload, { kind: 'document' }, undefined],
    ['a WebP sticker', { ...upload, mimeType: 'image/webp' }, { kind: 'sticker' }, undefined],
    ['an MP4 as audio', { ...upload, mimeType: 'video/mp4' }, { kind: 'audio' }, /audio/],
  ])('%s', (_label, media, over, problem) => {
    const got = mediaSendProblem(media, { ...want, ...over });
    if (problem) expect(got).toMatch(problem);
    else expect(got).toBeUndefined();
  });
});
