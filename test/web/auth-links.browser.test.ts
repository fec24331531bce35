// Invite and password-reset links in headless chromium against a real Parley (SQLite), Parley's clock
// moved by the test: an expired invite, an invite already used and a reset link that is not one each
// say so plainly (English and Russian) and lead back to sign-in; a password too weak for the rules is
// refused with the rule, and the link still works for a good one. axe-core; ru/en screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { testPassword } from '../helpers/sign-in.js';
import { startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, newAppPage, screenshot, seriousViolations } from './app-pages.js';

const DAY = 24 * 3600_000;
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

let invited = 0;
/** A new agent invited by the admin's API key: the path of their invite link. */
async function invite(): Promise<{ path: string; token: string; email: string }> {
  const email = `invitee-${process.pid}-${++invited}@example.test`;
  const created = await h.api.post('/api/v1/users', { email, name: `Invitee ${invited}`, role: 'agent' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const path = created.body.inviteUrl as string;
  expect(path).toMatch(/^\/invite\//);
  return { path, token: path.split('/').pop()!, email };
}

/** The link page, in the browser's language (the page follows it before anyone is signed in). */
class LinkScreen {
  constructor(readonly page: Page) {}
  async open(path: string): Promise<void> {
    await this.page.goto(`${h.parley.url}${path}`);
    await this.page.locator('form[aria-labelledby="link-title"]').waitFor();
  }
  async choose(password: string, repeat = password): Promise<void> {
    await this.page.locator('input[name="password"]').fill(password);
    await this.page.locator('input[name="repeat"]').fill(repeat);
    await this.page.locator('button[type="submit"]').click();
  }
  alert() { return this.page.getByRole('alert'); }
  async backToSignIn(name: string): Promise<void> {
    await this.page.getByRole('link', { name }).click();
    await this.page.locator('form[aria-labelledby="sign-in-title"]').waitFor();
    expect(new URL(this.page.url()).pathname).toBe('/');
  }
}

async function linkPage(locale: 'en' | 'ru') {
  const app = await newAppPage(browser, locale === 'ru' ? 'ru-RU' : 'en-US');
  return { ...app, screen: new LinkScreen(app.page) };
}

async function axeAndShot(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  shots.push(await screenshot(page, name));
}

describe('invite and reset links that cannot be used', () => {
  it('an expired invite says so and leads back to sign-in (English)', async () => {
    offset = 0;
    const link = await invite();
    offset = 8 * DAY;
    const { page, screen, violations } = await linkPage('en');
    try {
      await screen.open(link.path);
      await page.getByRole('heading', { name: 'Join your team on Parley' }).waitFor();
      await screen.choose(testPassword());
      await screen.alert().filter({ hasText: 'This link is unknown, expired or already used. Ask an admin for a new one.' }).waitFor();
      // Nothing left to fill in on a dead link: the way on is sign-in.
      expect(await page.locator('input[name="password"]').count()).toBe(0);
      await axeAndShot(page, 'auth-link-invalid-en');
      await screen.backToSignIn('Go to sign-in');
      expect(await violations()).toEqual([]);
    } finally {
      offset = 0;
      await page.context().close();
    }
  });

  it('an invite used once already says so in Russian and leads back to sign-in', async () => {
    const link = await invite();
    const accepted = await h.raw.post('/api/v1/auth/accept-invite', { token: link.token, password: testPassword() });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const { page, screen, violations } = await linkPage('ru');
    await screen.open(link.path);
    await page.getByRole('heading', { name: 'Присоединяйтесь к команде в Parley' }).waitFor();
    await screen.choose(testPassword());
    await screen.alert().filter({ hasText: 'Ссылка неизвестна, устарела или уже использована.' }).waitFor();
    await axeAndShot(page, 'auth-link-invalid-ru');
    await screen.backToSignIn('Перейти ко входу');
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('a reset link that is not one says so in both languages; sign-in is one click away before trying too', async () => {
    for (const [locale, title, message, back, anyTime] of [
      ['en', 'Choose a new password', 'This link is unknown, expired or already used.', 'Go to sign-in', 'Back to sign-in'],
      ['ru', 'Новый пароль', 'Ссылка неизвестна, устарела или уже использована.', 'Перейти ко входу', 'Вернуться ко входу'],
    ] as const) {
      const { page, screen, violations } = await linkPage(locale);
      await screen.open('/reset-password/not-a-real-token');
      await page.getByRole('heading', { name: title }).waitFor();
      // Someone who remembered the password need not try the link at all.
      expect(await page.getByRole('link', { name: anyTime }).isVisible()).toBe(true);
      await screen.choose(testPassword());
      await screen.alert().filter({ hasText: message }).waitFor();
      await axeAndShot(page, `auth-reset-invalid-${locale}`);
      await screen.backToSignIn(back);
      expect(await violations()).toEqual([]);
      await page.context().close();
    }
  });
});

describe('a password too weak for the rules', () => {
  it('is refused with the rule (English, then Russian); the link still works for a good one', async () => {
    const link = await invite();
    const { page, screen, violations } = await linkPage('en');
    await screen.open(link.path);
    const rules = '12 characters or more; not a common word, a sequence or your e-mail.';
    expect(await page.getByText(rules).isVisible()).toBe(true);
    await screen.choose('short-pw');
    await screen.alert().filter({ hasText: 'This password cannot be used: it is too short: use at least 12 characters (this one has 8)' }).waitFor();
    expect(await page.locator('input[name="password"]').getAttribute('aria-invalid')).toBe('true');
    await axeAndShot(page, 'auth-invite-weak-en');

    await page.getByRole('button', { name: 'Русский' }).click();
    await page.getByRole('heading', { name: 'Присоединяйтесь к команде в Parley' }).waitFor();
    // The refusal already shown follows the switch of language.
    await screen.alert().filter({ hasText: 'Такой пароль нельзя использовать: он слишком короткий: нужно не меньше 12 символов (сейчас 8)' }).waitFor();
    await screen.choose('aaaaaaaaaaaaaaaa');
    await screen.alert().filter({ hasText: 'Такой пароль нельзя использовать:' }).waitFor();
    expect(await screen.alert().textContent()).toContain('разных');
    expect(await page.getByText('Не меньше 12 символов; не распространённое слово, не последовательность и не ваш адрес.').isVisible()).toBe(true);
    await axeAndShot(page, 'auth-invite-weak-ru');

    // The refused passwords did not spend the link.
    await screen.choose(testPassword());
    await new InboxScreen(page).waitForList();
    expect(await violations()).toEqual([]);
    await page.context().close();
  });
});
