import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadHeaders } from './download-headers.js';

describe('downloadHeaders', () => {
  it.each([
    ['image/png', 'image/png', 'inline'],
    ['IMAGE/JPEG; charset=x', 'image/jpeg', 'inline'],
    ['audio/ogg', 'audio/ogg', 'inline'],
    ['video/mp4', 'video/mp4', 'inline'],
    ['application/pdf', 'application/pdf', 'inline'],
    ['text/html', 'application/octet-stream', 'attachment'],
    ['image/svg+xml', 'application/octet-stream', 'attachment'],
    ['application/javascript', 'application/octet-stream', 'attachment'],
    ['text/plain', 'application/octet-stream', 'attachment'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/octet-stream', 'attachment'],
    ['', 'application/octet-stream', 'attachment'],
  ])('%j is served as %s, %s', (declared, type, disposition) => {
    const headers = downloadHeaders(declared, 'f.bin');
    expect(headers['content-type']).toBe(type);
    expect(headers['content-disposition'].startsWith(`${disposition}; `)).toBe(true);
  });
});

describe('contentDisposition', () => {
  it.each([
    ['dot.png', `attachment; filename="dot.png"; filename*=UTF-8''dot.png`],
    ['счёт №5.pdf', `attachment; filename="____ _5.pdf"; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82%20%E2%84%965.pdf`],
    ['a"b\\c.txt', `attachment; filename="c.txt"; filename*=UTF-8''c.txt`],
    ['q"uote%.txt', `attachment; filename="q_uote_.txt"; filename*=UTF-8''q%22uote%25.txt`],
    ['../../etc/passwd', `attachment; filename="passwd"; filename*=UTF-8''passwd`],
    ['evil\r\nSet-Cookie: x=1', `attachment; filename="evilSet-Cookie: x=1"; filename*=UTF-8''evilSet-Cookie%3A%20x%3D1`],
    ["it's (1)*.jpg", `attachment; filename="it's (1)*.jpg"; filename*=UTF-8''it%27s%20%281%29%2A.jpg`],
    ['', `attachment; filename="file"; filename*=UTF-8''file`],
    ['..', `attachment; filename="file"; filename*=UTF-8''file`],
  ])('%j → %s', (name, header) => {
    expect(contentDisposition('attachment', name)).toBe(header);
  });

  it('keeps at most 200 characters of a name', () => {
    expect(contentDisposition('inline', `${'x'.repeat(300)}.png`)).toBe(`inline; filename="${'x'.repeat(200)}"; filename*=UTF-8''${'x'.repeat(200)}`);
  });
});
