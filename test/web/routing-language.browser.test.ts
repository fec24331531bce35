// Language-aware routing in headless chromium against a real Parley + sandbox (SQLite), in Russian: an
// admin sets an agent's languages in Settings → People (a bad code told in words) and turns on "match
// the customer's language" for the team; a customer writing in Cyrillic then goes to that agent, not to
// the English-speaking one online before him; the conversation header shows a contact's language; the
// agent changes their own languages in My profile. The same screens in English. axe-core; screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { signInAs, type SignedInOperator } from '../helpers/sign-in.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { customerWrites } from '../parley/assignment-steps.js';
import { connectLive, type LiveClient } from '../parley/live-steps.js';
import { InboxScreen, screenshot, seriousViolations, signedInPage } from './app-pages.js';
import { ConversationScreen } from './conversation-screen.js';

let h: Harness;
let browser: Browser;
let admin: Page;
let adminViolations: () => Promise<string[]>;
let english: SignedInOperator;
let russian: SignedInOperator;
let englishSocket: LiveClient | undefined;
let teamId: string;
let russianChat: string;
const shots: string[] = [];

async function axeAndShot(p: Page, name: string): Promise<void> {
  expect(await seriousViolations(p), name).toEqual([]);
  shots.push(await screenshot(p, name));
}

async function openSettings(p: Page, section: 'people' | 'teams' | 'profile'): Promise<void> {
  await p.goto(`${h.parley.url}/settings/${section}`);
  await p.locator('#settings-title').waitFor();
  await p.locator('[role="status"]').filter({ hasText: /Loading|Загружаем/ }).waitFor({ state: 'detached' });
}

const userRow = (p: Page, userId: string) => p.locator(`tr[data-user-id="${userId}"]`);
const teamCard = (p: Page) => p.locator(`li[data-team-id="${teamId}"]`);
const languagesOf = async (userId: string) => ((await h.api.get('/api/v1/users')).body.items as Array<{ id: string; languages: string[] }>).find((u) => u.id === userId)?.languages;
const presenceOf = async (userId: string) => ((await h.api.get('/api/v1/presence')).body as Array<{ userId: string; status: string }>).find((p) => p.userId === userId)?.status;

beforeAll(async () => {
  h = await startHarness();
  const rita = await signInAs(h, 'admin', { name: 'Рита Админова' });
  // The English speaker first: without matching, the first chat would be his turn (nobody has had one).
  english = await signInAs(h, 'agent', { name: 'Ethan English' });
  russian = await signInAs(h, 'agent', { name: 'Павел Агентов' });
  expect((await h.api.patch(`/api/v1/users/${english.user.id}`, { languages: ['en'] })).status).toBe(200);
  const team = await h.api.post('/api/v1/teams', { name: 'Поддержка', memberIds: [english.user.id, russian.user.id] });
  expect(team.status, JSON.stringify(team.body)).toBe(201);
  teamId = team.body.id;
  expect((await h.api.patch('/api/v1/workspace/settings', { defaultTeamId: teamId })).status).toBe(200);
  browser = await launchChromium();
  ({ page: admin, violations: adminViolations } = await signedInPage(browser, h.parley.url, rita, 'ru'));
}, 90_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await englishSocket?.close();
  await browser?.close();
  await h?.close();
});

describe('language-aware routing in the browser', () => {
  it("sets an agent's languages in Settings → People, a bad code told in plain words", async () => {
    await openSettings(admin, 'people');
    await expect.poll(() => userRow(admin, russian.user.id).textContent()).toContain('Не указаны');
    await admin.getByRole('button', { name: 'Языки оператора Павел Агентов' }).click();
    const dialog = admin.getByRole('dialog');
    const field = dialog.getByLabel('Языки, на которых оператор отвечает клиентам');
    await field.fill('ru, русский');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe(
      '«русский» — не код языка: укажите две буквы, например ru для русского или en для английского.');
    expect(await languagesOf(russian.user.id)).toEqual([]);

    await field.fill('ru, EN');
    await dialog.getByText('русский, английский').waitFor();
    await axeAndShot(admin, 'languages-dialog-ru');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => admin.getByRole('dialog').count()).toBe(0);
    await admin.locator(`tr[data-user-id="${russian.user.id}"] td[data-languages="ru,en"]`).waitFor();
    expect(await languagesOf(russian.user.id)).toEqual(['ru', 'en']);
    await axeAndShot(admin, 'languages-people-ru');
  });

  it("turns on matching the customer's language for the team", async () => {
    await openSettings(admin, 'teams');
    await admin.getByRole('button', { name: 'Распределение в команде Поддержка' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Как распределять новые диалоги').selectOption('round_robin');
    const box = dialog.getByRole('checkbox', { name: 'Учитывать язык клиента' });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await dialog.getByText('кириллица — русский', { exact: false }).waitFor();
    await axeAndShot(admin, 'routing-match-language-ru');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => admin.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => teamCard(admin).textContent()).toContain('Диалоги достаются операторам в сети по очереди, с учётом языка клиента');
    expect((await h.api.get(`/api/v1/teams/${teamId}/routing`)).body).toEqual({ mode: 'round_robin', maxOpenPerAgent: null, matchLanguage: true });
  });

  it('gives a Cyrillic-writing customer to the Russian speaker; the header shows a language set on the contact', async () => {
    englishSocket = await connectLive(h.parley.url, english.cookie);
    const { page: agent, violations } = await signedInPage(browser, h.parley.url, russian, 'ru');
    await eventually(async () => (await presenceOf(english.user.id)) === 'online' && (await presenceOf(russian.user.id)) === 'online', { what: 'both agents online' });

    russianChat = await customerWrites(h, '447911778001', 'Здравствуйте! Где мой заказ?');
    await eventually(async () => (await h.api.get(`/api/v1/conversations/${russianChat}`)).body.assigneeId, { what: 'the chat assigned' });
    expect((await h.api.get(`/api/v1/conversations/${russianChat}`)).body.assigneeId).toBe(russian.user.id);
    const englishChat = await customerWrites(h, '447911778002', 'Hello, where is my order?');
    expect(await eventually(async () => (await h.api.get(`/api/v1/conversations/${englishChat}`)).body.assigneeId, { what: 'the English chat assigned' })).toBe(english.user.id);

    // No language set on the contact: nothing in the header; set, it is shown.
    const pane = new ConversationScreen(agent);
    await pane.open(h.parley.url, russianChat);
    expect(await pane.header().locator('[data-contact-language]').count()).toBe(0);
    const contactId = (await h.api.get(`/api/v1/conversations/${russianChat}`)).body.contactId as string;
    expect((await h.api.patch(`/api/v1/contacts/${contactId}`, { language: 'ru' })).status).toBe(200);
    await pane.open(h.parley.url, russianChat);
    const badge = pane.header().locator('[data-contact-language="ru"]');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).toBe('Язык клиента: русский');
    await axeAndShot(agent, 'contact-language-header-ru');

    // The agent's own languages, in My profile, saved with the name and language.
    await openSettings(agent, 'profile');
    const mine = agent.getByLabel('Языки, на которых я отвечаю');
    await expect.poll(() => mine.inputValue()).toBe('ru, en');
    await mine.fill('ru, kazakh');
    await agent.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await expect.poll(() => agent.getByRole('alert').textContent()).toBe('«kazakh» — не код языка: укажите две буквы, например ru для русского или en для английского.');
    await mine.fill('ru kk');
    await agent.getByText('русский, казахский').waitFor();
    await agent.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await agent.getByText('Сохранено.').waitFor();
    expect(await languagesOf(russian.user.id)).toEqual(['ru', 'kk']);
    await axeAndShot(agent, 'languages-profile-ru');
    expect(await violations()).toEqual([]);
    await agent.context().close();
  });

  it('shows the same screens in English', async () => {
    await new InboxScreen(admin).switchLanguage('English');
    await openSettings(admin, 'people');
    await expect.poll(() => userRow(admin, english.user.id).textContent()).toContain('en');
    await admin.getByRole('button', { name: 'Languages of Ethan English' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Languages they answer customers in').fill('en, de');
    await dialog.getByText('English, German').waitFor();
    await axeAndShot(admin, 'languages-dialog-en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await axeAndShot(admin, 'languages-people-en');

    await openSettings(admin, 'teams');
    await expect.poll(() => teamCard(admin).textContent()).toContain("Chats go to online members in turn, matching the customer's language");
    await admin.getByRole('button', { name: 'Routing of Поддержка' }).click();
    expect(await admin.getByRole('dialog').getByRole('checkbox', { name: "Match the customer's language" }).isChecked()).toBe(true);
    await axeAndShot(admin, 'routing-match-language-en');
    await admin.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    const pane = new ConversationScreen(admin);
    await pane.open(h.parley.url, russianChat);
    const badge = pane.header().locator('[data-contact-language="ru"]');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).toBe("Customer's language: Russian");
    await axeAndShot(admin, 'contact-language-header-en');
  });

  it('ran with no CSP violation', async () => {
    expect(await adminViolations()).toEqual([]);
  });
});
