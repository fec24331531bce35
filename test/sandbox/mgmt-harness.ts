// Shared set-up for the sandbox management tests (templates, media, numbers): a sandbox on a
// frozen clock, Graph calls with the seeded token, multipart bodies, and the webhook values the
// sandbox logged (the default seed has no callback URL, so webhooks are logged, not posted).

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildSandbox, type SandboxContext } from '../../src/sandbox/app.js';
import { SandboxClock } from '../../src/sandbox/clock.js';
import type { SeedSpec } from '../../src/sandbox/seed.js';
import type { SandboxOptions } from '../../src/sandbox/state.js';

export const WABA_ID = '700000000000001';
export const PHONE_ID = '600000000000001';
export const TOKEN = 'sandbox-token';
export const V = 'v23.0';
export const START = Date.UTC(2026, 2, 2, 9);

export interface Mgmt {
  app: FastifyInstance;
  ctx: SandboxContext;
  clock: SandboxClock;
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, token?: string | null): Promise<LightMyRequestResponse>;
  /** Values of the webhooks of `field` logged so far, in order. */
  webhookValues(field: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function startMgmt(opts: { options?: Partial<SandboxOptions>; seed?: SeedSpec } = {}): Promise<Mgmt> {
  const clock = new SandboxClock(START, 0);
  const { app, ctx } = await buildSandbox({ clock, ...(opts.options ? { options: opts.options } : {}), ...(opts.seed ? { seed: opts.seed } : {}) });
  await app.ready();
  return {
    app, ctx, clock,
    call: (method, path, body, token = TOKEN) => app.inject({
      method,
      url: `/${V}${path}`,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    }),
    webhookValues: async (field) => {
      await ctx.webhooks.idle();
      return ctx.state.webhookLog
        .filter((e) => e.field === field && e.duplicateOf === undefined)
        .flatMap((e) => (JSON.parse(e.body) as { entry: Array<{ changes: Array<{ field: string; value: Record<string, unknown> }> }> }).entry)
        .flatMap((entry) => entry.changes.filter((c) => c.field === field).map((c) => c.value));
    },
    close: () => app.close(),
  };
}

/** A multipart/form-data body: text fields, then an optional file part. */
export function multipart(fields: Record<string, string>, file?: { name?: string; filename: string; type: string; bytes: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----sandboxtest' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    chunks.push(file.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Bytes that start with a real file signature, padded to `size`. */
export function fakeFile(kind: 'jpeg' | 'png' | 'webp' | 'animated-webp' | 'pdf' | 'mp4' | 'ogg' | 'text', size = 256): Buffer {
  const heads: Record<string, Buffer> = {
    jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    png: Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    webp: Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'),
    'animated-webp': Buffer.from('RIFF\0\0\0\0WEBPVP8X\0\0\0\0ANIM', 'latin1'),
    pdf: Buffer.from('%PDF-1.7\n'),
    mp4: Buffer.from('\0\0\0\x18ftypmp42', 'latin1'),
    ogg: Buffer.from('OggS'),
    text: Buffer.from('hello, this is a plain text document\n'),
  };
  const head = heads[kind]!;
  const filler = kind === 'text' ? 'a' : '\x01';
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), filler)]);
}
