// Work distribution in headless chromium against a real Parley + sandbox (SQLite): an admin sets a
// team to round robin in Settings → Teams and makes it the team for new conversations in Settings →
// Workspace (a bad value told in plain words); an agent of the team, signed in and online through the
// live socket, gets a new customer's chat in "Mine" with nobody clicking. axe-core; en and ru screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { createCustomer } from '../parley/steps.js';
import { InboxScreen, SignInScreen, newAppPage, screenshot, seriousViolations } from './app-pages.js';
import { TeamScreen } from './team-screen.js';

const ADMIN = { email: 'rita.admin@example.com', name: 'Rita Admin', password: 'amber-willow-compass-27' };
const AGENT = { email: 'pavel.agent@example.com', name: 'Pavel Agent', password: 'granite-harbor-meadow-83' };
const CUSTOMER = '447911777001';

let h: Harness;
let browser: Browser;
let admin: Page;
let adminViolations: () => Promise<string[]>;
let agentId: string;
let teamId: string;
const shots: string[] = [];

async function axeAndShot(p: Page, name: string): Promise<void> {
  expect(await seriousViolations(p), name).toEqual([]);
  shots.push(await screenshot(p, name));
}

async function signIn(p: Page, who: { email: string; password: string }): Promise<void> {
  const screen = new SignInScreen(p);
  await screen.open(h.parley.url);
  await screen.signIn(who.email, who.password);
  await new InboxScreen(p).waitForList();
}

async function openSettings(p: Page, section: 'teams' | 'workspace'): Promise<void> {
  await p.goto(`${h.parley.url}/settings/${section}`);
  await p.locator('#settings-title').waitFor();
  await p.locator('[role="status"]').filter({ hasText: /Loading|Загружаем/ }).waitFor({ state: 'detached' });
}

const teamCard = (p: Page) => p.locator(`li[data-team-id="${teamId}"]`);

beforeAll(async () => {
  h = await startHarness();
  for (const [who, role] of [[ADMIN, 'admin'], [AGENT, 'agent']] as const) {
    const created = await h.api.post('/api/v1/users', { ...who, role, locale: 'en' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (role === 'agent') agentId = created.body.user?.id ?? created.body.id;
  }
  const team = await h.api.post('/api/v1/teams', { name: 'Support', memberIds: [agentId] });
  expect(team.status, JSON.stringify(team.body)).toBe(201);
  teamId = team.body.id;
  browser = await launchChromium();
  ({ page: admin, violations: adminViolations } = await newAppPage(browser, 'en-US'));
  await signIn(admin, ADMIN);
}, 60_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

describe('routing in Settings and the inbox', () => {
  it('sets a team to round robin in Settings → Teams, a missing limit for capacity told in plain words', async () => {
    await openSettings(admin, 'teams');
    await expect.poll(() => teamCard(admin).textContent()).toContain('Chats are assigned by hand');
    await admin.getByRole('button', { name: 'Routing of Support' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('How new chats are given out').selectOption('capacity');
    await dialog.getByLabel('Open chats per agent, at most').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe(
      'Enter how many open chats each agent may have: a whole number from 1 to 200 (round robin may also leave it empty).');

    await dialog.getByLabel('How new chats are given out').selectOption('round_robin');
    await dialog.getByText('Each waiting chat goes to the online member who got one longest ago').waitFor();
    await dialog.getByText('When an agent goes offline, their chats stay theirs.', { exact: false }).waitFor();
    await axeAndShot(admin, 'routing-team-dialog-en');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => teamCard(admin).textContent()).toContain('Chats go to online members in turn');
    expect((await h.api.get(`/api/v1/teams/${teamId}/routing`)).body).toEqual({ mode: 'round_robin', maxOpenPerAgent: null, matchLanguage: false });
    await axeAndShot(admin, 'routing-teams-en');
  });

  it('makes it the team for new conversations in Settings → Workspace; bad hours are told in plain words', async () => {
    await openSettings(admin, 'workspace');
    await admin.getByLabel('Team for new conversations').selectOption(teamId);
    await admin.getByLabel('Resolve idle conversations after, hours').fill('0');
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.getByRole('alert').textContent()).toBe(
      'Enter the hours as a whole number from 1 to 720, or leave the field empty to turn auto-resolve off.');
    await admin.getByLabel('Resolve idle conversations after, hours').fill('');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Saved.').waitFor();
    expect((await h.api.get('/api/v1/workspace/settings')).body).toEqual({ agentVisibility: 'all', defaultTeamId: teamId, autoResolveAfterHours: null });
    await admin.getByText('Chats go to online members in turn.').waitFor();
    await axeAndShot(admin, 'routing-workspace-en');
  });

  it("gives a new customer's chat to the online agent: it appears in their Mine with nobody clicking", async () => {
    const { page: agent, violations } = await newAppPage(browser, 'en-US');
    const screen = new TeamScreen(agent);
    await signIn(agent, AGENT);
    await eventually(async () => ((await h.api.get('/api/v1/presence')).body as Array<{ userId: string; status: string }>)
      .some((p) => p.userId === agentId && p.status === 'online'), { what: 'the agent online through the live socket' });
    await agent.locator('button[data-folder="mine"]').click();
    await expect.poll(() => screen.folderCount('mine').getAttribute('data-total')).toBe('0');

    await createCustomer(h.sandbox, CUSTOMER, 'silent');
    const sent = await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text: 'Hi, is anyone there?' });
    expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
    const conversationId = await eventually(async () => {
      const list = await h.api.get('/api/v1/conversations?limit=50');
      return (list.body.items as Array<{ id: string; contact: { waId: string } }>).find((c) => c.contact.waId === CUSTOMER)?.id;
    }, { what: "the customer's conversation" });
    await screen.row(conversationId).waitFor();
    await expect.poll(() => screen.folderCount('mine').getAttribute('data-total')).toBe('1');
    expect((await h.api.get(`/api/v1/conversations/${conversationId}`)).body).toMatchObject({ assigneeId: agentId, teamId });
    await axeAndShot(agent, 'routing-agent-mine-en');
    expect(await violations()).toEqual([]);
    await agent.context().close();
  });

  it('shows the routing settings in Russian', async () => {
    await new InboxScreen(admin).switchLanguage('Русский');
    await openSettings(admin, 'teams');
    await expect.poll(() => teamCard(admin).textContent()).toContain('Диалоги достаются операторам в сети по очереди');
    await admin.getByRole('button', { name: 'Распределение в команде Support' }).click();
    await admin.getByRole('dialog').getByLabel('Как распределять новые диалоги').selectOption('capacity');
    await admin.getByRole('dialog').getByLabel('Лимит открытых диалогов на оператора').fill('5');
    await axeAndShot(admin, 'routing-team-dialog-ru');
    await admin.getByRole('dialog').getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => teamCard(admin).textContent()).toContain('лимит открытых на оператора — 5');
    expect((await h.api.get(`/api/v1/teams/${teamId}/routing`)).body).toEqual({ mode: 'capacity', maxOpenPerAgent: 5, matchLanguage: false });
    await openSettings(admin, 'workspace');
    await admin.getByLabel('Закрывать неактивные диалоги через, часов').fill('48');
    await admin.getByRole('button', { name: 'Сохранить' }).click();
    await admin.getByText('Сохранено.').waitFor();
    expect((await h.api.get('/api/v1/workspace/settings')).body.autoResolveAfterHours).toBe(48);
    await axeAndShot(admin, 'routing-workspace-ru');
    await new InboxScreen(admin).switchLanguage('English');
  });

  it('ran with no CSP violation', async () => {
    expect(await adminViolations()).toEqual([]);
  });
});
