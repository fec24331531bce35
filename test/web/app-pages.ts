// Page objects of the web app for the browser tests: the sign-in page and the inbox, plus axe-core
// (injected from node_modules) and screenshots into SCREENSHOT_DIR (os.tmpdir()/parley-screens).

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { watchCspViolations } from '../helpers/browser.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** A page in its own browser context (1280×800, `locale`), watching for CSP violations. */
export async function newAppPage(browser: Browser, locale: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { page, violations: await watchCspViolations(page) };
}

export const SCREENSHOT_DIR = process.env['SCREENSHOT_DIR'] || join(tmpdir(), 'parley-screens');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: number }

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol: a <script> tag would be refused by the app's CSP (rightly).
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const found = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })))`) as AxeViolation[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export class SignInScreen {
  constructor(readonly page: Page) {}
  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/`);
    await this.page.locator('form[aria-labelledby="sign-in-title"]').waitFor();
  }
  async signIn(email: string, password: string): Promise<void> {
    await this.page.locator('input[name="email"]').fill(email);
    await this.page.locator('input[name="password"]').fill(password);
    await this.page.locator('button[type="submit"]').click();
  }
  error() {
    return this.page.getByRole('alert');
  }
}

/** A page in its own context, signed in as `who` (their language set to `locale` first), on the inbox. */
export async function signedInPage(
  browser: Browser, baseUrl: string, who: { email: string; password: string; client: { patch(path: string, body: unknown): Promise<{ status: number }> } }, locale: 'en' | 'ru',
): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const changed = await who.client.patch('/api/v1/auth/me', { locale });
  if (changed.status !== 200) throw new Error(`signedInPage: setting the locale answered ${changed.status}`);
  const app = await newAppPage(browser, locale === 'ru' ? 'ru-RU' : 'en-US');
  const s = new SignInScreen(app.page);
  await s.open(baseUrl);
  await s.signIn(who.email, who.password);
  await new InboxScreen(app.page).waitForList();
  return app;
}

export class InboxScreen {
  constructor(readonly page: Page) {}
  async waitForList(): Promise<void> {
    await this.page.locator('#list-title').waitFor();
  }
  rows() {
    return this.page.locator('[role="option"][data-conversation-id]');
  }
  row(name: string) {
    return this.rows().filter({ hasText: name });
  }
  async openUserMenu(): Promise<void> {
    await this.page.locator('summary').click();
  }
  async switchLanguage(label: 'English' | 'Русский'): Promise<void> {
    await this.openUserMenu();
    await this.page.getByRole('button', { name: label }).click();
    await this.page.locator('summary').click();
  }
}
