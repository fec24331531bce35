import { describe, expect, it } from 'vitest';
import { bareMime, isUploadableMime } from './media.js';

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
