// Send later in headless chromium against a real Parley + sandbox (SQLite), Parley's clock advanced by
// the test: an operator writes a reply, picks "In an hour" in the clock button's dialog; the box
// empties and the reply waits above it; an hour later (timers worker) it is in the timeline and the
// customer has it. In Russian, a reply the policy refuses when its time comes (the contact blocked
// meanwhile) shows why, and Dismiss takes it away. A time after the 24-hour window is not offered.
// Each waiting item names its author ("Автор: вы" for the author; the name for whoever has the chat next).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { signInAs } from '../helpers/sign-in.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { customerWrites } from '../parley/assignment-steps.js';
import { screenshot, seriousViolations, signedInPage } from './app-pages.js';
import { ConversationScreen } from './conversation-screen.js';

const HOUR = 3_600_000;
let h: Harness;
let browser: Browser;
let offset = 0;
const shots: string[] = [];

beforeAll(async () => {
  h = await startHarness({ now: () => Date.now() + offset });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

async function operatorPage(locale: 'en' | 'ru') {
  const who = await signInAs(h, 'supervisor', { name: locale === 'ru' ? 'Ольга Соколова' : 'Sam Supervisor' });
  const app = await signedInPage(browser, h.parley.url, who, locale);
  return { ...app, pane: new ConversationScreen(app.page) };
}

describe('send later in the browser', () => {
  it('schedules a reply for an hour; it goes out when the hour has passed', async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400125001', 'Please send me the invoice later today');
    const { page, pane, violations } = await operatorPage('en');
    await pane.open(h.parley.url, conversationId);
    await pane.textBox().fill('Here is your invoice, as promised');
    await page.getByTestId('send-later').click();
    const dialog = page.getByTestId('send-later-dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: /^In an hour/ }).isEnabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'send-later-dialog-en'));
    await dialog.getByRole('button', { name: /^In an hour/ }).click();

    const waiting = pane.pane().getByTestId('scheduled-item');
    await waiting.filter({ hasText: 'Here is your invoice, as promised' }).waitFor();
    expect(await waiting.textContent()).toContain('Will be sent');
    expect(await pane.textBox().inputValue()).toBe('');
    shots.push(await screenshot(page, 'send-later-waiting-en'));
    expect(await pane.message('Here is your invoice, as promised', 'out').count()).toBe(0);

    offset = HOUR + 60_000;
    await h.parley.timers.runOnce();
    await pane.message('Here is your invoice, as promised', 'out').waitFor();
    await waiting.waitFor({ state: 'detached' });
    await eventually(async () => JSON.stringify((await h.sandbox.get('/_sandbox/messages?to=447400125001')).body).includes('Here is your invoice') || undefined, { what: 'the customer got it' });
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('outside the window, schedules a template for tomorrow 9:00; it goes out then', async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400125003', 'Tell me when the sale starts', Date.now() - 30 * HOUR);
    const { page, pane, violations } = await operatorPage('en');
    await pane.open(h.parley.url, conversationId);
    await pane.windowClosedNotice().waitFor();
    await pane.template('hello_world', 'en_US').click();
    await page.getByTestId('send-later').click();
    const dialog = page.getByTestId('send-later-dialog');
    const tomorrow = dialog.getByRole('button', { name: /^Tomorrow at 9:00/ });
    expect(await tomorrow.isEnabled()).toBe(true);
    expect(await dialog.textContent()).not.toContain('window closes');
    await tomorrow.click();
    const waiting = pane.pane().getByTestId('scheduled-item').filter({ hasText: 'Template hello_world' });
    await waiting.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'send-later-template-en'));
    const [item] = (await h.api.get(`/api/v1/conversations/${conversationId}/scheduled-messages`)).body.items as Array<{ sendAt: number; content: { type: string; name: string } }>;
    expect(item!.content).toMatchObject({ type: 'template', name: 'hello_world' });
    expect(new Date(item!.sendAt).getHours()).toBe(9);

    offset = item!.sendAt - Date.now() + 60_000;
    await h.parley.timers.runOnce();
    await pane.messages('out').filter({ hasText: 'Template hello_world' }).waitFor();
    await waiting.waitFor({ state: 'detached' });
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('in Russian: a reply refused when its time comes says why and can be dismissed; a time after the window is not offered', async () => {
    offset = 0;
    // The customer wrote 22 hours ago: "in 3 hours" and "tomorrow" fall after the window.
    const conversationId = await customerWrites(h, '447400125002', 'Напомните мне завтра', Date.now() - 22 * HOUR);
    const { page, pane, violations } = await operatorPage('ru');
    await pane.open(h.parley.url, conversationId);
    await pane.textBox().fill('Напоминаем о записи');
    await page.getByTestId('send-later').click();
    const dialog = page.getByTestId('send-later-dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: /^Через 3 часа/ }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: /^Завтра в 9:00/ }).isDisabled()).toBe(true);
    expect(await dialog.textContent()).toContain('24-часовое окно закроется');
    shots.push(await screenshot(page, 'send-later-dialog-ru'));
    await dialog.getByRole('button', { name: /^Через час/ }).click();
    await pane.pane().getByTestId('scheduled-item').filter({ hasText: 'Напоминаем о записи' }).waitFor();

    const contactId = (await h.api.get(`/api/v1/conversations/${conversationId}`)).body.contactId as string;
    expect((await h.api.patch(`/api/v1/contacts/${contactId}`, { blocked: true })).status).toBe(200);
    offset = HOUR + 60_000;
    await h.parley.timers.runOnce();
    const failed = pane.pane().locator('[data-testid="scheduled-item"][data-status="failed"]');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('Не отправлено');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'send-later-failed-ru'));
    await failed.getByRole('button', { name: 'Скрыть' }).click();
    await failed.waitFor({ state: 'detached' });
    expect((await h.api.get(`/api/v1/conversations/${conversationId}/scheduled-messages`)).body.items).toEqual([]);
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it("names the author on a waiting reply: 'you' for the author, the name for the operator the chat is given to", async () => {
    offset = 0;
    const conversationId = await customerWrites(h, '447400125004', 'Перезвоните мне после обеда');
    const anna = await signInAs(h, 'agent', { name: 'Анна Смирнова' });
    const boris = await signInAs(h, 'agent', { name: 'Boris Novak' });
    const mine = await signedInPage(browser, h.parley.url, anna, 'ru');
    const annaPane = new ConversationScreen(mine.page);
    await annaPane.open(h.parley.url, conversationId);
    await annaPane.textBox().fill('Перезваниваем, как обещали');
    await mine.page.getByTestId('send-later').click();
    await mine.page.getByTestId('send-later-dialog').getByRole('button', { name: /^Через час/ }).click();
    const annaItem = annaPane.pane().getByTestId('scheduled-item').filter({ hasText: 'Перезваниваем, как обещали' });
    await annaItem.waitFor();
    expect(await annaItem.getByTestId('scheduled-author').textContent()).toBe('Автор: вы');
    expect(await seriousViolations(mine.page)).toEqual([]);
    shots.push(await screenshot(mine.page, 'send-later-author-ru'));
    await mine.page.context().close();

    expect((await h.api.post(`/api/v1/conversations/${conversationId}/assignment`, { assigneeId: boris.user.id })).status).toBe(200);
    const next = await signedInPage(browser, h.parley.url, boris, 'en');
    const borisPane = new ConversationScreen(next.page);
    await borisPane.open(h.parley.url, conversationId);
    const borisItem = borisPane.pane().getByTestId('scheduled-item').filter({ hasText: 'Перезваниваем, как обещали' });
    await borisItem.waitFor();
    expect(await borisItem.getByTestId('scheduled-author').textContent()).toBe('Scheduled by Анна Смирнова');
    expect(await borisItem.textContent()).toContain('Will be sent');
    expect(await seriousViolations(next.page)).toEqual([]);
    shots.push(await screenshot(next.page, 'send-later-author-en'));
    expect(await next.violations()).toEqual([]);
    await next.page.context().close();
  });
});
