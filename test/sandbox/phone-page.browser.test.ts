// The sandbox's phone view in a real browser (Debian's chromium driven by playwright-core): chat as
// a customer, see the business's interactive message, tap its button, switch the UI to Russian;
// ticks drawn without an emoji font, a header that fits a phone, and its CSP never violated.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildSandbox, type SandboxContext } from '../../src/sandbox/app.js';
import { launchChromium, watchCspViolations } from '../helpers/browser.js';

const PHONE_ID = '600000000000001';
const CUSTOMER = '79161234567';

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let browser: Browser;
let page: Page;
let cspViolations: () => Promise<string[]>;

beforeAll(async () => {
  ({ app, ctx } = await buildSandbox());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  ctx.state.options.publicBaseUrl = base;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  cspViolations = await watchCspViolations(page);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

function inboundTexts(): string[] {
  return [...ctx.state.inbound.values()].filter((m) => m.from === CUSTOMER).map((m) => m.type);
}

describe('phone view', () => {
  it('sends a text as the customer, which opens the service window', async () => {
    await page.goto(`${base}/_sandbox/phone?number=${PHONE_ID}&customer=${CUSTOMER}`);
    await page.fill('#text', 'Здравствуйте! Где мой заказ?');
    await page.click('#composer button[type=submit]');
    await page.getByText('Здравствуйте! Где мой заказ?').waitFor({ timeout: 10_000 });
    expect(inboundTexts()).toContain('text');
    expect(ctx.state.customers.get(CUSTOMER)!.lastInboundAt.get(PHONE_ID)).toBeGreaterThan(0);
  });

  it('shows the business reply buttons and taps one', async () => {
    const res = await app.inject({
      method: 'POST', url: `/v21.0/${PHONE_ID}/messages`, headers: { authorization: 'Bearer sandbox-token' },
      payload: {
        messaging_product: 'whatsapp', to: CUSTOMER, type: 'interactive',
        interactive: { type: 'button', body: { text: 'Доставить завтра?' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Да' } }, { type: 'reply', reply: { id: 'no', title: 'Нет' } }] } },
      },
    });
    expect(res.statusCode).toBe(200);
    const button = page.getByRole('button', { name: 'Да', exact: true });
    await button.waitFor({ timeout: 10_000 });
    await button.click();
    await expect.poll(() => [...ctx.state.inbound.values()].some((m) => m.from === CUSTOMER && m.type === 'interactive'), { timeout: 10_000 }).toBe(true);
  });

  it('switches the interface to Russian', async () => {
    await page.click('#lang');
    await expect.poll(() => page.textContent('#composer button[type=submit]')).toBe('Отправить');
  });

  it('draws status ticks as SVG, not as glyphs that need an emoji font', async () => {
    const tick = page.locator('.msg.out .ticks').first();
    await tick.waitFor({ timeout: 10_000 });
    expect(await tick.locator('svg path').count()).toBeGreaterThan(0);
    expect((await tick.textContent())?.trim()).toBe('');
  });

  it('keeps the header inside a phone-width screen, even with a long customer name', async () => {
    const waId = '491701234567';
    const created = await app.inject({ method: 'POST', url: '/_sandbox/customers', payload: { waId, name: 'Maximilian Alexander von Hohenzollern-Sigmaringen', persona: 'attentive' } });
    expect(created.statusCode).toBeLessThan(300);
    await page.goto(`${base}/_sandbox/phone?number=${PHONE_ID}&customer=${waId}`);
    await page.locator('#meta').getByText('attentive').waitFor({ timeout: 10_000 });
    const width = await page.evaluate('document.querySelector(".phone").getBoundingClientRect().right') as number;
    for (const id of ['#lang', '#number', '#customer', '#meta']) {
      const box = await page.locator(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(width);
    }
  });

  it('ran with no Content-Security-Policy violation', async () => {
    expect(await cspViolations()).toEqual([]);
  });
});
