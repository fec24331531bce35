// CSAT in headless chromium against a real Parley + sandbox (SQLite): an admin turns the survey on in
// Settings → Satisfaction, an operator (Russian UI) resolves a chat, the simulated customer picks
// "4" in the list the sandbox received, and the pane shows the rating live; when the customer writes
// again and the chat reopens, the rating is shown muted as the previous one (a request left unanswered
// is hidden); axe-core; ru/en screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { sandboxSends } from '../parley/steps.js';
import { InboxScreen, SignInScreen, newAppPage, screenshot, seriousViolations } from './app-pages.js';

const ADMIN = { email: 'ada.csat@example.com', name: 'Ada Admin', password: 'copper-meadow-lantern-71', locale: 'en' };
const AGENT = { email: 'ivan.csat@example.com', name: 'Иван Оператор', password: 'quiet-river-pebble-83', locale: 'ru' };
const CUSTOMER = '447911777001';
const QUESTION = 'How did we do today? Pick a score from 1 to 5.';

let h: Harness;
let browser: Browser;
/** The conversation the customer rated (second test), reopened in the third. */
let ratedConversationId = '';
const shots: string[] = [];

async function signedIn(who: typeof ADMIN, locale: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const opened = await newAppPage(browser, locale);
  const signIn = new SignInScreen(opened.page);
  await signIn.open(h.parley.url);
  await signIn.signIn(who.email, who.password);
  await new InboxScreen(opened.page).waitForList();
  return opened;
}

async function axeAndShot(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  shots.push(await screenshot(page, name));
}

const csatBar = (page: Page) => page.locator('[data-csat-status]');

beforeAll(async () => {
  h = await startHarness();
  for (const [who, role] of [[ADMIN, 'admin'], [AGENT, 'agent']] as const) {
    const created = await h.api.post('/api/v1/users', { ...who, role });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const made = await h.sandbox.post('/_sandbox/customers', { waId: CUSTOMER, name: 'Olga Petrova', persona: 'silent' });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

describe('CSAT: settings, resolve, the customer\'s rating in the pane', () => {
  it('an admin turns the survey on in Settings → Satisfaction (CSAT)', async () => {
    const { page, violations } = await signedIn(ADMIN, 'en-US');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Satisfaction (CSAT)' }).click();
    await page.locator('[data-csat-settings]').waitFor();
    const toggle = page.getByRole('switch', { name: 'Ask customers for a rating when a conversation is resolved' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    const question = page.getByLabel('Question');
    await question.fill('x'.repeat(1030));
    await page.getByText('1,030 of 1,024 characters').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
    await question.fill(QUESTION);
    expect(await page.getByLabel('Outside the 24-hour window').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await axeAndShot(page, 'csat-settings-en');
    const stored = await h.api.get('/api/v1/csat/settings');
    expect(stored.body).toEqual({ enabled: true, language: 'en', question: QUESTION, template: null });

    await new InboxScreen(page).switchLanguage('Русский');
    await page.getByRole('heading', { name: 'Оценка качества обслуживания' }).waitFor();
    await axeAndShot(page, 'csat-settings-ru');
    await new InboxScreen(page).switchLanguage('English');
    await page.getByRole('heading', { name: 'Customer satisfaction (CSAT)' }).waitFor();
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('an operator resolves a chat, the customer picks 4, and the pane shows the rating at once', async () => {
    const wrote = await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text: 'Спасибо, всё получила!' });
    expect(wrote.status, JSON.stringify(wrote.body)).toBeLessThan(300);
    const conversation = await eventually(async () => {
      const list = await h.api.get('/api/v1/conversations?limit=50');
      return list.body.items.find((c: { contact: { waId: string } }) => c.contact.waId === CUSTOMER) as { id: string } | undefined;
    }, { what: 'the customer\'s conversation' });

    const { page, violations } = await signedIn(AGENT, 'ru-RU');
    await page.locator(`[role="option"][data-conversation-id="${conversation.id}"]`).click();
    const pane = page.locator(`section[data-conversation-id="${conversation.id}"]`);
    await pane.locator('[role="log"]').waitFor();
    expect(await csatBar(page).count()).toBe(0);
    await pane.getByRole('button', { name: 'Решить', exact: true }).click();
    await csatBar(page).filter({ hasText: 'Оценка запрошена' }).waitFor();

    const list = await eventually(async () => (await sandboxSends(h.sandbox)).find((r) => r.body?.to === CUSTOMER && r.body?.type === 'interactive'), { what: 'the list at the sandbox' });
    expect(list.body.interactive.body.text).toBe(QUESTION);
    const four = (list.body.interactive.action.sections[0].rows as Array<{ id: string; title: string }>).find((r) => r.title.startsWith('4'))!;
    const tap = await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'list_reply', messageId: list.response.messages[0].id, id: four.id });
    expect(tap.status, JSON.stringify(tap.body)).toBeLessThan(300);

    await csatBar(page).filter({ hasText: 'Оценка: 4 из 5' }).waitFor();
    expect(await csatBar(page).getAttribute('data-csat-status')).toBe('answered');
    expect(await pane.getByRole('button', { name: 'Открыть снова', exact: true }).isVisible()).toBe(true);
    expect((await h.api.get(`/api/v1/conversations/${conversation.id}`)).body.state).toBe('resolved');
    await axeAndShot(page, 'csat-pane-ru');
    expect(await violations()).toEqual([]);
    await page.context().close();

    const admin = await signedIn(ADMIN, 'en-US');
    // Resolved, so not in the default (open) list: opened by its address.
    await admin.page.goto(`${h.parley.url}/inbox/${conversation.id}`);
    await csatBar(admin.page).filter({ hasText: 'Rated 4 of 5' }).waitFor();
    await axeAndShot(admin.page, 'csat-pane-en');
    await admin.page.context().close();
    ratedConversationId = conversation.id;
  });

  it('the customer writes again: the reopened chat shows the rating as the previous one, muted; an unanswered request is hidden', async () => {
    expect(ratedConversationId).not.toBe('');
    const { page, violations } = await signedIn(AGENT, 'ru-RU');
    await page.goto(`${h.parley.url}/inbox/${ratedConversationId}`);
    await csatBar(page).filter({ hasText: 'Оценка: 4 из 5' }).waitFor();
    const wrote = await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text: 'Ещё вопрос по заказу' });
    expect(wrote.status, JSON.stringify(wrote.body)).toBeLessThan(300);
    const pane = page.locator(`section[data-conversation-id="${ratedConversationId}"]`);
    // Reopened live: the strip now speaks of the previous resolution.
    await csatBar(page).filter({ hasText: 'Прошлая оценка: 4 из 5' }).waitFor();
    expect(await csatBar(page).getAttribute('data-csat-previous')).not.toBeNull();
    expect(await csatBar(page).getAttribute('title')).toBe('Поставлена, когда диалог решили в прошлый раз, до того как его открыли снова');
    expect(await pane.getByRole('button', { name: 'Решить', exact: true }).isVisible()).toBe(true);
    await axeAndShot(page, 'csat-pane-previous-ru');
    expect(await violations()).toEqual([]);
    await page.context().close();

    const admin = await signedIn(ADMIN, 'en-US');
    await admin.page.goto(`${h.parley.url}/inbox/${ratedConversationId}`);
    await csatBar(admin.page).filter({ hasText: 'Previous rating: 4 of 5' }).waitFor();
    expect(await csatBar(admin.page).textContent()).not.toContain('Rated 4 of 5');
    await axeAndShot(admin.page, 'csat-pane-previous-en');

    // A request the customer never answered says nothing about the reopened chat: no strip.
    const other = '447911777002';
    expect((await h.sandbox.post('/_sandbox/customers', { waId: other, name: 'Pavel Orlov', persona: 'silent' })).status).toBe(201);
    expect((await h.sandbox.post(`/_sandbox/customers/${other}/messages`, { type: 'text', text: 'Hello' })).status).toBeLessThan(300);
    const second = await eventually(async () => {
      const list = await h.api.get('/api/v1/conversations?limit=50');
      return list.body.items.find((c: { contact: { waId: string } }) => c.contact.waId === other) as { id: string } | undefined;
    }, { what: 'the second customer\'s conversation' });
    await admin.page.goto(`${h.parley.url}/inbox/${second.id}`);
    const secondPane = admin.page.locator(`section[data-conversation-id="${second.id}"]`);
    await secondPane.getByRole('button', { name: 'Resolve', exact: true }).click();
    await csatBar(admin.page).filter({ hasText: 'Rating requested' }).waitFor();
    expect((await h.sandbox.post(`/_sandbox/customers/${other}/messages`, { type: 'text', text: 'One more thing' })).status).toBeLessThan(300);
    await secondPane.getByRole('button', { name: 'Resolve', exact: true }).waitFor();
    await csatBar(admin.page).waitFor({ state: 'detached' });
    await admin.page.context().close();
  });
});
