// Canned replies in headless chromium against a real Parley + sandbox (SQLite): an admin creates one in
// Settings (live preview with a sample contact), an agent types "/deliv" in a conversation, picks it with
// the keyboard, answers its question, sends, and the sandbox receives the text with the contact's name
// and the answer. Empty state, axe-core, screenshots in en and ru of the settings page and the picker.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, SignInScreen, newAppPage, screenshot, seriousViolations } from './app-pages.js';
import { ConversationScreen } from './conversation-screen.js';

const CUSTOMER = '447911123987';
const ADMIN = { email: 'ada.admin@example.com', name: 'Ada Admin', password: 'copper-meadow-lantern-58', role: 'admin', locale: 'en' };
const AGENT = { email: 'alex.agent@example.com', name: 'Alex Agent', password: 'quiet-river-pebble-64', role: 'agent', locale: 'en' };
const RU_ADMIN = { email: 'irina.admin@example.com', name: 'Ирина Админ', password: 'velvet-orchard-signal-31', role: 'admin', locale: 'ru' };
const BODY = 'Hi {{contact.name}}, order {{?Order number}} arrives tomorrow. — {{agent.name}}';

/** Page object of Settings → Canned replies and the composer's picker. */
class CannedScreen {
  constructor(readonly page: Page) {}
  async signIn(baseUrl: string, who: { email: string; password: string }): Promise<void> {
    const s = new SignInScreen(this.page);
    await s.open(baseUrl);
    await s.signIn(who.email, who.password);
    await new InboxScreen(this.page).waitForList();
  }
  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/settings/canned`);
    await this.page.locator('#settings-title').waitFor();
  }
  form() { return this.page.getByTestId('canned-form'); }
  row(shortcut: string) { return this.page.locator('tr[data-canned-id]').filter({ hasText: `/${shortcut}` }); }
  preview() { return this.page.getByTestId('canned-preview'); }
  picker() { return this.page.getByTestId('canned-picker'); }
  prompts() { return this.page.getByTestId('canned-prompts'); }
}

let h: Harness;
let browser: Browser;
let conversationId: string;
const shots: string[] = [];

const newPage = (locale: string) => newAppPage(browser, locale);

async function axeAndShot(p: Page, name: string): Promise<void> {
  expect(await seriousViolations(p), name).toEqual([]);
  shots.push(await screenshot(p, name));
}

beforeAll(async () => {
  h = await startHarness();
  for (const who of [ADMIN, AGENT, RU_ADMIN]) {
    const created = await h.api.post('/api/v1/users', who);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const customer = await h.sandbox.post('/_sandbox/customers', { waId: CUSTOMER, name: 'Maria Lopez' });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  expect((await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text: 'When will my order come?' })).status).toBeLessThan(300);
  conversationId = await eventually(async () => {
    const list = await h.api.get('/api/v1/conversations');
    return list.body.items.find((c: { contact: { waId: string } }) => c.contact.waId === CUSTOMER)?.id as string | undefined;
  }, { what: 'the conversation' });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

describe('canned replies in the browser', () => {
  it('an admin sees the empty state, creates /delivery with a live preview, sees it listed', async () => {
    const { page, violations } = await newPage('en-US');
    const s = new CannedScreen(page);
    await s.signIn(h.parley.url, ADMIN);
    await s.open(h.parley.url);
    await page.getByText('No canned replies yet').waitFor();

    await page.getByRole('button', { name: 'New canned reply' }).click();
    await s.form().getByLabel('Shortcut').fill('delivery');
    await s.form().getByLabel('Title').fill('Delivery time');
    const text = s.form().getByLabel('Text', { exact: true });
    await text.fill('Hi {{contact.email}}');
    expect(await page.getByTestId('canned-text-problem').textContent()).toContain('Unknown variable {{contact.email}}');
    expect(await s.form().getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
    await text.fill(BODY);
    expect(await page.getByTestId('canned-text-problem').count()).toBe(0);
    expect(await s.preview().textContent()).toBe('Hi Anna Smirnova, order [Order number] arrives tomorrow. — Ada Admin');
    await axeAndShot(page, 'canned-settings-form-en');
    await s.form().getByRole('button', { name: 'Create' }).click();
    await s.row('delivery').waitFor();
    expect(await s.row('delivery').textContent()).toContain('Delivery time');
    expect(await s.row('delivery').textContent()).toContain('Everyone');
    await axeAndShot(page, 'canned-settings-en');

    const stored = await h.api.get('/api/v1/canned-replies?q=deliv');
    expect(stored.body.items).toHaveLength(1);
    expect(stored.body.items[0]).toMatchObject({ shortcut: 'delivery', body: BODY, prompts: ['Order number'] });
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('an agent types "/deliv", picks it with the keyboard, answers the question, sends; the sandbox gets the text', async () => {
    const { page, violations } = await newPage('en-US');
    const s = new CannedScreen(page);
    await s.signIn(h.parley.url, AGENT);
    const pane = new ConversationScreen(page);
    await pane.open(h.parley.url, conversationId);
    await pane.textBox().click();
    await pane.textBox().pressSequentially('/deliv');
    await s.picker().getByRole('option', { name: /delivery/ }).waitFor();
    expect(await s.picker().getByRole('option').count()).toBe(1);
    await axeAndShot(page, 'canned-picker-en');

    await page.keyboard.press('Escape');
    expect(await s.picker().count()).toBe(0);
    await page.keyboard.type('e');
    // The option itself, not only the picker: Enter picks what is listed (under load the list may render a moment later).
    await s.picker().getByRole('option', { name: /delivery/ }).waitFor();
    await page.keyboard.press('Enter');
    await s.prompts().waitFor();
    await s.prompts().getByLabel('Order number').fill('A-1042');
    await axeAndShot(page, 'canned-prompts-en');
    await page.keyboard.press('Enter');
    const expected = 'Hi Maria Lopez, order A-1042 arrives tomorrow. — Alex Agent';
    await eventually(async () => (await pane.textBox().inputValue()) === expected, { what: 'the inserted text' });
    // Still editable before sending.
    await pane.textBox().press('End');
    await page.keyboard.type('!');
    await pane.textBox().press('Enter');
    await pane.message(`${expected}!`, 'out').waitFor();
    await eventually(async () => JSON.stringify((await h.sandbox.get(`/_sandbox/messages?to=${CUSTOMER}`)).body).includes(`${expected}!`), { what: 'the sandbox receiving the text' });
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('shows the page and the picker in Russian', async () => {
    const { page } = await newPage('ru-RU');
    const s = new CannedScreen(page);
    await s.signIn(h.parley.url, RU_ADMIN);
    await s.open(h.parley.url);
    await s.row('delivery').waitFor();
    expect(await page.locator('#settings-title').textContent()).toBe('Быстрые ответы');
    expect(await s.row('delivery').textContent()).toContain('Всем');
    await axeAndShot(page, 'canned-settings-ru');
    const pane = new ConversationScreen(page);
    await pane.open(h.parley.url, conversationId);
    await pane.textBox().click();
    await pane.textBox().pressSequentially('Здравствуйте /zz');
    await s.picker().getByText('Нет быстрых ответов по запросу «/zz».').waitFor();
    await pane.textBox().press('Backspace');
    await pane.textBox().press('Backspace');
    await pane.textBox().pressSequentially('de');
    await s.picker().getByRole('option').first().waitFor();
    await axeAndShot(page, 'canned-picker-ru');
    await page.context().close();
  });
});
