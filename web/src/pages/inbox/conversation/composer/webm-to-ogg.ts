// Voice notes: Chromium records Opus only inside WebM, WhatsApp wants it inside OGG. The Opus packets
// are copied as they are into Ogg pages (RFC 7845), no re-encoding: an EBML walk finds CodecPrivate
// (OpusHead) and the SimpleBlocks, the Ogg side writes OpusHead, OpusTags and audio pages with CRCs.

const EBML_MASTERS = new Set([0x18538067, 0x1f43b675, 0x1654ae6b, 0xae, 0xa0, 0xe1]);
const SIMPLE_BLOCK = 0xa3;
const BLOCK = 0xa1;
const CODEC_PRIVATE = 0x63a2;
const CHANNELS = 0x9f;

interface Cursor { pos: number }

function readVint(b: Uint8Array, c: Cursor, keepMarker: boolean): number | null {
  const first = b[c.pos];
  if (first === undefined) return null;
  let len = 1;
  while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
  if (len > 8 || c.pos + len > b.length) return null;
  let value = keepMarker ? first : first & (0xff >> len);
  let allOnes = value === (0xff >> len);
  for (let i = 1; i < len; i++) {
    const byte = b[c.pos + i]!;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  c.pos += len;
  return !keepMarker && allOnes ? -1 : value; // -1: unknown size (live recordings)
}

export interface OpusTrack { head: Uint8Array | null; channels: number; packets: Uint8Array[] }

/** The Opus packets of a WebM recording (first track), and its OpusHead when present. */
export function parseWebmOpus(b: Uint8Array): OpusTrack {
  const track: OpusTrack = { head: null, channels: 1, packets: [] };
  const c: Cursor = { pos: 0 };
  while (c.pos < b.length) {
    const id = readVint(b, c, true);
    const size = readVint(b, c, false);
    if (id === null || size === null) break;
    if (EBML_MASTERS.has(id)) continue; // descend: its children follow
    const end = size < 0 ? b.length : Math.min(b.length, c.pos + size);
    if (id === CODEC_PRIVATE) track.head = b.slice(c.pos, end);
    else if (id === CHANNELS) track.channels = b[c.pos] ?? 1;
    else if (id === SIMPLE_BLOCK || id === BLOCK) {
      const inner: Cursor = { pos: c.pos };
      readVint(b, inner, false); // track number
      const flags = b[inner.pos + 2] ?? 0;
      inner.pos += 3; // timecode (2) + flags
      if ((flags & 0x06) === 0 && inner.pos < end) track.packets.push(b.slice(inner.pos, end)); // no lacing (MediaRecorder's)
    }
    c.pos = end;
  }
  return track;
}

/** Samples (48 kHz) in one Opus packet, from its TOC byte (RFC 6716 §3.1). */
export function opusPacketSamples(p: Uint8Array): number {
  const toc = p[0] ?? 0;
  const config = toc >> 3;
  const frameTenthsMs = config < 12 ? [100, 200, 400, 600][config % 4]! : config < 16 ? [100, 200][config % 2]! : [25, 50, 100, 200][config % 4]!;
  const count = (toc & 3) === 0 ? 1 : (toc & 3) === 3 ? (p[1] ?? 0) & 0x3f : 2;
  return (count * frameTenthsMs * 48) / 10;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

export function oggCrc(b: Uint8Array): number {
  let crc = 0;
  for (const byte of b) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc;
}

function oggPage(packets: Uint8Array[], granule: number, serial: number, seq: number, flags: number): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let n = p.length; ; n -= 255) {
      lacing.push(Math.min(n, 255));
      if (n < 255) break;
    }
  }
  const bodyLength = packets.reduce((n, p) => n + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + bodyLength);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53, 0, flags]);
  view.setUint32(6, granule % 2 ** 32, true);
  view.setUint32(10, Math.floor(granule / 2 ** 32), true);
  view.setUint32(14, serial, true);
  view.setUint32(18, seq, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const p of packets) { page.set(p, at); at += p.length; }
  view.setUint32(22, oggCrc(page), true);
  return page;
}

function defaultHead(channels: number): Uint8Array {
  const head = new Uint8Array(19);
  const v = new DataView(head.buffer);
  head.set([...'OpusHead'].map((ch) => ch.charCodeAt(0)));
  head[8] = 1;
  head[9] = channels;
  v.setUint16(10, 312, true); // pre-skip
  v.setUint32(12, 48000, true);
  return head;
}

function tags(): Uint8Array {
  const vendor = new TextEncoder().encode('Parley');
  const t = new Uint8Array(8 + 4 + vendor.length + 4);
  const v = new DataView(t.buffer);
  t.set([...'OpusTags'].map((ch) => ch.charCodeAt(0)));
  v.setUint32(8, vendor.length, true);
  t.set(vendor, 12);
  return t;
}

/** An Ogg Opus file with the recording's packets; null when the WebM holds no Opus audio. */
export function webmOpusToOgg(webm: Uint8Array, serial = 0x50617231): Uint8Array | null {
  const track = parseWebmOpus(webm);
  if (track.packets.length === 0) return null;
  const head = track.head && track.head.length >= 19 && new TextDecoder().decode(track.head.subarray(0, 8)) === 'OpusHead' ? track.head : defaultHead(track.channels);
  const pages: Uint8Array[] = [oggPage([head], 0, serial, 0, 0x02), oggPage([tags()], 0, serial, 1, 0)];
  let granule = 0;
  let batch: Uint8Array[] = [];
  let segments = 0;
  const flush = (last: boolean) => {
    pages.push(oggPage(batch, granule, serial, pages.length, last ? 0x04 : 0));
    batch = [];
    segments = 0;
  };
  track.packets.forEach((p, i) => {
    const need = Math.floor(p.length / 255) + 1;
    if (segments + need > 255 || batch.length >= 50) flush(false);
    batch.push(p);
    segments += need;
    granule += opusPacketSamples(p);
    if (i === track.packets.length - 1) flush(true);
  });
  const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) { out.set(p, at); at += p.length; }
  return out;
}
