// Shared set-up for the send-path tests: a sandbox on a frozen clock (time moves only when a test
// advances it), the default seed, and small helpers to send and to shape the world.

import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildSandbox, type SandboxContext } from '../../src/sandbox/app.js';
import { SandboxClock } from '../../src/sandbox/clock.js';
import type { SandboxOptions, Template } from '../../src/sandbox/state.js';
import type { SeedSpec } from '../../src/sandbox/seed.js';

export const PHONE_ID = '600000000000001';
export const WABA_ID = '700000000000001';
export const BUSINESS_ID = '800000000000001';
export const TOKEN = 'sandbox-token';
export const RU = '79161234567';
export const UK = '447911123456';
export const BR = '5511987654321';
export const US = '14155550123';
/** 2026-06-01T00:00Z: per-message pricing, before paid service messages. */
export const JUNE_2026 = Date.UTC(2026, 5, 1);

export interface Harness {
  app: FastifyInstance;
  ctx: SandboxContext;
  clock: SandboxClock;
  send(body: unknown, phoneId?: string): Promise<LightMyRequestResponse>;
  /** Opens (or ages) the customer's service window: their last message was `agoMs` ago. */
  lastInbound(waId: string, agoMs: number): void;
  addTemplate(t: Partial<Template> & Pick<Template, 'name' | 'components'>): Template;
  addMedia(id: string, mimeType: string): void;
  addInbound(wamid: string, from: string, agoMs: number, type?: string): void;
  close(): Promise<void>;
}

export async function startSandbox(opts: { options?: Partial<SandboxOptions>; seed?: SeedSpec; at?: number } = {}): Promise<Harness> {
  const clock = new SandboxClock(opts.at ?? JUNE_2026, 0);
  const { app, ctx } = await buildSandbox({ clock, ...(opts.options ? { options: opts.options } : {}), ...(opts.seed ? { seed: opts.seed } : {}) });
  await app.ready();
  return {
    app, ctx, clock,
    send: (body, phoneId = PHONE_ID) => app.inject({
      method: 'POST', url: `/v23.0/${phoneId}/messages`,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    }),
    lastInbound: (waId, agoMs) => {
      const c = ctx.state.customers.get(waId);
      if (!c) throw new Error(`no customer ${waId}`);
      c.lastInboundAt.set(PHONE_ID, clock.now() - agoMs);
    },
    addTemplate: (t) => {
      const id = t.id ?? ctx.state.newId();
      const now = clock.now();
      const template: Template = {
        id, wabaId: WABA_ID, language: 'en_US', category: 'UTILITY', parameterFormat: 'POSITIONAL',
        status: 'APPROVED', rejectedReason: 'NONE', quality: 'UNKNOWN', qualityAt: now, pauseCount: 0,
        createdAt: now, approvedEdits: [], feedback: [], ...t,
      };
      ctx.state.templates.set(id, template);
      return template;
    },
    addMedia: (id, mimeType) => {
      const bytes = Buffer.from('sandbox media');
      ctx.state.media.set(id, {
        id, phoneNumberId: PHONE_ID, mimeType, sha256: createHash('sha256').update(bytes).digest('base64'),
        bytes, createdAt: clock.now(), expiresAt: clock.now() + 30 * 24 * 3600_000, deleted: false, urlKeys: new Map(),
      });
    },
    addInbound: (wamid, from, agoMs, type = 'text') => {
      ctx.state.inbound.set(wamid, { wamid, phoneNumberId: PHONE_ID, from, type, at: clock.now() - agoMs, readByBusiness: false });
    },
    close: () => app.close(),
  };
}

export function text(to: string, body = 'Hello'): Record<string, unknown> {
  return { messaging_product: 'whatsapp', to, type: 'text', text: { body } };
}

export function template(to: string, name: string, language = 'en_US', components?: unknown[]): Record<string, unknown> {
  return { messaging_product: 'whatsapp', to, type: 'template', template: { name, language: { code: language }, ...(components ? { components } : {}) } };
}

export function errorOf(res: LightMyRequestResponse): { code: number; details: string } {
  const body = res.json() as { error?: { code: number; error_data?: { details: string } } };
  return { code: body.error?.code ?? 0, details: body.error?.error_data?.details ?? '' };
}

/** The stored message for a 200 answer. */
export function storedOf(h: Harness, res: LightMyRequestResponse) {
  const id = (res.json() as { messages: Array<{ id: string }> }).messages[0]!.id;
  const msg = h.ctx.state.outbound.get(id);
  if (!msg) throw new Error(`message ${id} not stored`);
  return msg;
}

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
