// The web app in headless chromium against a real Parley + sandbox (SQLite): sign-in (wrong
// password, then right), the empty inbox, a customer's message appearing live, ru/en switching
// (saved on the user), keyboard moves, axe-core without serious violations, screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, watchCspViolations } from '../helpers/browser.js';
import { startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, SignInScreen, screenshot, seriousViolations } from './app-pages.js';

const ADMIN = { email: 'ann.admin@example.com', name: 'Ann Admin', password: 'violet-harbour-engine-42' };

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let violations: () => Promise<string[]>;
const shots: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  const created = await h.api.post('/api/v1/users', { email: ADMIN.email, name: ADMIN.name, role: 'admin', password: ADMIN.password, locale: 'en' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  violations = await watchCspViolations(page);
}, 60_000);
afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

async function customerWrites(waId: string, text: string): Promise<void> {
  const res = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

describe('the web app in a browser', () => {
  it('signs in: a wrong password is told in plain words, the right one opens the empty inbox', async () => {
    const signIn = new SignInScreen(page);
    await signIn.open(h.parley.url);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'sign-in-en'));

    await signIn.signIn(ADMIN.email, 'not-the-password-at-all');
    await expect.poll(() => signIn.error().textContent()).toBe('The e-mail or password is wrong.');

    await signIn.signIn(ADMIN.email, ADMIN.password);
    const inbox = new InboxScreen(page);
    await inbox.waitForList();
    await page.getByText('No conversations yet').waitFor();
    expect(await page.getByText("A customer's first message will appear here.").isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'inbox-empty-en'));
  });

  it('shows a customer\'s first message live, without a reload; the preview is text, never HTML', async () => {
    const inbox = new InboxScreen(page);
    await page.waitForFunction('document.querySelector("[role=status]") === null || true');
    await customerWrites('79161234567', 'Здравствуйте! <img src=x onerror=alert(1)> Где мой заказ?');
    await inbox.row('Где мой заказ?').waitFor({ timeout: 10_000 });
    expect(await inbox.row('Где мой заказ?').locator('img').count()).toBe(0);
    await customerWrites('447911123456', 'Hello, is the shop open on Sunday?');
    await inbox.row('is the shop open on Sunday').waitFor({ timeout: 10_000 });
    expect(await inbox.rows().count()).toBe(2);
    // Newest first, with its unread badge and an open service window.
    const first = inbox.rows().first();
    expect(await first.textContent()).toContain('is the shop open on Sunday');
    expect(await first.textContent()).toContain('window open');
    expect(await first.getByLabel('1 unread message').textContent()).toBe('1');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'inbox-conversations-en'));
  });

  it('moves through the list with j/k (event.code) and opens the conversation in the URL', async () => {
    const inbox = new InboxScreen(page);
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('j');
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/inbox\/.+/);
    const second = await inbox.rows().nth(1).getAttribute('data-conversation-id');
    expect(new URL(page.url()).pathname).toBe(`/inbox/${second}`);
    await page.keyboard.press('k');
    const first = await inbox.rows().first().getAttribute('data-conversation-id');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/inbox/${first}`);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/inbox/${second}`);
  });

  it('switches to Russian and back; the choice is saved on the user', async () => {
    const inbox = new InboxScreen(page);
    await page.goto(`${h.parley.url}/inbox`);
    await inbox.waitForList();
    await inbox.switchLanguage('Русский');
    await page.getByRole('heading', { name: 'Все' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await expect.poll(async () => (await h.api.get('/api/v1/users')).body.items.find((u: { email: string }) => u.email === ADMIN.email)?.locale).toBe('ru');
    await page.reload();
    await page.getByRole('heading', { name: 'Все' }).waitFor();
    expect(await inbox.rows().first().textContent()).toContain('окно открыто');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'inbox-conversations-ru'));

    await inbox.switchLanguage('English');
    await page.getByRole('heading', { name: 'All' }).waitFor();
  });

  it('shows the Russian sign-in page and the empty inbox to a Russian browser', async () => {
    const ru = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
    const p = await ru.newPage();
    const signIn = new SignInScreen(p);
    await signIn.open(h.parley.url);
    await p.getByRole('button', { name: 'Войти' }).waitFor();
    await signIn.signIn(ADMIN.email, 'совсем-не-тот-пароль');
    await expect.poll(() => signIn.error().textContent()).toBe('Неверная эл. почта или пароль.');
    shots.push(await screenshot(p, 'sign-in-ru'));
    // Signed in, the user's saved language (English, chosen above) wins over the browser's.
    await signIn.signIn(ADMIN.email, ADMIN.password);
    await p.getByRole('heading', { name: 'All' }).waitFor();
    await new InboxScreen(p).switchLanguage('Русский');
    await p.getByRole('heading', { name: 'Все' }).waitFor();
    // No resolved conversations: the empty state, in Russian.
    await p.getByRole('combobox', { name: /^(Status|Статус)$/ }).selectOption('resolved');
    await p.getByText('Диалогов пока нет').waitFor();
    shots.push(await screenshot(p, 'inbox-empty-ru'));
    await ru.close();
  });

  it('ran with no CSP violation', async () => {
    expect(await violations()).toEqual([]);
  });
});
