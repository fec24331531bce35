// A popular Cloud API client from the npm registry (@kapso/whatsapp-cloud-api), pointed at the
// sandbox's base URL over real HTTP, sends a text and a template message and sees Meta's errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphApiError, WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { buildSandbox, type SandboxContext } from '../../src/sandbox/app.js';
import type { FastifyInstance } from 'fastify';

const PHONE_ID = '600000000000001';
const RU = '79161234567';

let app: FastifyInstance;
let ctx: SandboxContext;
let client: WhatsAppClient;

beforeAll(async () => {
  ({ app, ctx } = await buildSandbox());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  client = new WhatsAppClient({ accessToken: 'sandbox-token', baseUrl: `http://127.0.0.1:${address.port}`, graphVersion: 'v23.0' });
  ctx.state.customers.get(RU)!.lastInboundAt.set(PHONE_ID, ctx.state.clock.now() - 60_000);
});
afterAll(() => app.close());

describe('npm client @kapso/whatsapp-cloud-api against the sandbox', () => {
  it('sends a text message', async () => {
    const res = await client.messages.sendText({ phoneNumberId: PHONE_ID, to: `+${RU}`, body: 'Hello from an npm client' });
    expect(res.messagingProduct).toBe('whatsapp');
    expect(res.contacts[0]).toEqual({ input: `+${RU}`, waId: RU });
    const id = res.messages[0]!.id;
    expect(id).toMatch(/^wamid\./);
    const stored = ctx.state.outbound.get(id);
    expect(stored?.type).toBe('text');
    expect(stored?.request.text?.body).toBe('Hello from an npm client');
    expect(stored?.failure).toBeUndefined();
  });

  it('sends a template message with parameters', async () => {
    const res = await client.messages.sendTemplate({
      phoneNumberId: PHONE_ID, to: RU,
      template: {
        name: 'order_update', language: { code: 'ru' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Иван' }, { type: 'text', text: '№1042' }] }],
      },
    });
    const stored = ctx.state.outbound.get(res.messages[0]!.id);
    expect(stored?.type).toBe('template');
    expect(stored?.category).toBe('utility');
    expect(ctx.state.requestLog.some((e) => e.path === `/v23.0/${PHONE_ID}/messages` && e.status === 200)).toBe(true);
  });

  it('surfaces the sandbox\'s Graph errors as the library\'s GraphApiError', async () => {
    const attempt = client.messages.sendTemplate({ phoneNumberId: PHONE_ID, to: RU, template: { name: 'no_such_template', language: { code: 'en_US' } } });
    await expect(attempt).rejects.toBeInstanceOf(GraphApiError);
    await expect(attempt).rejects.toMatchObject({ code: 132001 });
  });
});
