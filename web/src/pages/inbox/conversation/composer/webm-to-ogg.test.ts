import { describe, expect, it } from 'vitest';
import { oggCrc, opusPacketSamples, parseWebmOpus, webmOpusToOgg } from './webm-to-ogg.js';

const id = (...bytes: number[]) => bytes;
const size = (n: number) => [0x80 | n]; // one-byte vint, n < 127
const el = (idBytes: number[], body: number[]) => [...idBytes, ...size(body.length), ...body];
const UNKNOWN = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const head = [...'OpusHead'].map((c) => c.charCodeAt(0)).concat([1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]);
// 20 ms CELT frames (config 31, one frame): 960 samples each.
const packet = (fill: number) => [0xf8, fill, fill, fill];
const block = (fill: number) => el(id(0xa3), [0x81, 0, 0, 0x80, ...packet(fill)]);

function webm(): Uint8Array {
  return new Uint8Array([
    ...el(id(0x1a, 0x45, 0xdf, 0xa3), [0x42, 0x86, 0x81, 1]),
    0x18, 0x53, 0x80, 0x67, ...UNKNOWN,
    ...el(id(0x16, 0x54, 0xae, 0x6b), el(id(0xae), [...el(id(0xd7), [1]), ...el(id(0x63, 0xa2), head), ...el(id(0xe1), el(id(0x9f), [1]))])),
    0x1f, 0x43, 0xb6, 0x75, ...UNKNOWN,
    ...el(id(0xe7), [0]), ...block(1), ...block(2), ...block(3),
  ]);
}

function pages(ogg: Uint8Array): Array<{ flags: number; granule: number; seq: number; crcOk: boolean; body: Uint8Array }> {
  const out = [];
  let at = 0;
  while (at < ogg.length) {
    const v = new DataView(ogg.buffer, ogg.byteOffset + at);
    expect(String.fromCharCode(...ogg.subarray(at, at + 4))).toBe('OggS');
    const n = ogg[at + 26]!;
    const bodyLength = [...ogg.subarray(at + 27, at + 27 + n)].reduce((a, b) => a + b, 0);
    const page = ogg.slice(at, at + 27 + n + bodyLength);
    const crc = v.getUint32(22, true);
    page.fill(0, 22, 26);
    out.push({ flags: ogg[at + 5]!, granule: v.getUint32(6, true), seq: v.getUint32(18, true), crcOk: oggCrc(page) === crc, body: page.subarray(27 + n) });
    at += 27 + n + bodyLength;
  }
  return out;
}

describe('webm → ogg (Opus packets copied)', () => {
  it('computes the Ogg CRC (poly 0x04c11db7, no reflection, initial 0)', () => {
    expect(oggCrc(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
  });
  it('reads the OpusHead and the packets of a live (unknown-size) recording', () => {
    const track = parseWebmOpus(webm());
    expect(new TextDecoder().decode(track.head!.subarray(0, 8))).toBe('OpusHead');
    expect(track.packets.map((p) => [...p])).toEqual([packet(1), packet(2), packet(3)]);
  });
  it('counts samples per packet from the TOC byte', () => {
    expect(opusPacketSamples(new Uint8Array([0xf8]))).toBe(960); // CELT 20 ms
    expect(opusPacketSamples(new Uint8Array([0x08 | 1]))).toBe(1920); // SILK config 1 = 20 ms, code 1 = 2 frames
    expect(opusPacketSamples(new Uint8Array([0x00 | 3, 3]))).toBe(1440); // SILK 10 ms ×3
  });
  it('writes OpusHead (BOS), OpusTags, then audio pages ending with EOS at the right granule, each with a valid CRC', () => {
    const ogg = webmOpusToOgg(webm())!;
    const p = pages(ogg);
    expect(p.map((x) => x.flags)).toEqual([0x02, 0, 0x04]);
    expect(p.map((x) => x.seq)).toEqual([0, 1, 2]);
    expect(p.every((x) => x.crcOk)).toBe(true);
    expect(new TextDecoder().decode(p[0]!.body.subarray(0, 8))).toBe('OpusHead');
    expect(new TextDecoder().decode(p[1]!.body.subarray(0, 8))).toBe('OpusTags');
    expect(p[2]!.granule).toBe(3 * 960);
    expect([...p[2]!.body]).toEqual([...packet(1), ...packet(2), ...packet(3)]);
  });
  it('answers null for a file without Opus blocks', () => {
    expect(webmOpusToOgg(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});
