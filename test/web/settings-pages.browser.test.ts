// Settings in headless chromium against a real Parley + sandbox (SQLite): People (invite by link →
// the invitee sets a password and lands signed in; role, disable/enable, reset link; API errors in
// plain words), Teams, Workspace, My profile; an agent sees only their profile; axe-core; screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, watchCspViolations } from '../helpers/browser.js';
import { startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, SignInScreen, screenshot, seriousViolations } from './app-pages.js';

const ADMIN = { email: 'ada.admin@example.com', name: 'Ada Admin', password: 'copper-meadow-lantern-58' };
const OWNER = { email: 'olga.owner@example.com', name: 'Olga Owner', password: 'silver-canyon-harbor-19' };
const AGENT = { email: 'alex.agent@example.com', name: 'Alex Agent', password: 'quiet-river-pebble-64' };

/** Page object of the Settings pages (web/src/pages/settings). */
class SettingsScreen {
  constructor(readonly page: Page) {}
  async open(baseUrl: string, section: 'people' | 'teams' | 'workspace' | 'profile'): Promise<void> {
    await this.page.goto(`${baseUrl}/settings/${section}`);
    await this.page.locator('#settings-title').waitFor();
  }
  sections() { return this.page.getByRole('navigation', { name: /Settings sections|Разделы настроек/ }).getByRole('link'); }
  userRow(name: string) { return this.page.locator('tr[data-user-id]').filter({ hasText: name }); }
  team(name: string) { return this.page.locator('li[data-team-id]').filter({ hasText: name }); }
  dialog() { return this.page.getByRole('dialog'); }
  alert() { return this.page.getByRole('alert'); }
  async signIn(baseUrl: string, who: { email: string; password: string }): Promise<void> {
    const signIn = new SignInScreen(this.page);
    await signIn.open(baseUrl);
    await signIn.signIn(who.email, who.password);
    await new InboxScreen(this.page).waitForList();
  }
}

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let s: SettingsScreen;
let violations: () => Promise<string[]>;
const shots: string[] = [];

async function userByEmail(email: string) {
  const res = await h.api.get('/api/v1/users');
  return res.body.items.find((u: { email: string }) => u.email === email) as { id: string; role: string; disabled: boolean; invitePending: boolean; name: string } | undefined;
}

async function axeAndShot(p: Page, name: string): Promise<void> {
  expect(await seriousViolations(p), name).toEqual([]);
  shots.push(await screenshot(p, name));
}

beforeAll(async () => {
  h = await startHarness();
  for (const [who, role] of [[ADMIN, 'admin'], [OWNER, 'owner']] as const) {
    const created = await h.api.post('/api/v1/users', { ...who, role, locale: 'en' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  violations = await watchCspViolations(page);
  s = new SettingsScreen(page);
  await s.signIn(h.parley.url, ADMIN);
}, 60_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

describe('settings: people', () => {
  it('opens from the navigation on People and lists the workspace\'s users with role and status', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings/people');
    await s.userRow(ADMIN.name).waitFor();
    expect(await s.sections().allTextContents()).toEqual(['People', 'Teams', 'Workspace', 'Canned replies', 'Response times', 'Satisfaction (CSAT)', 'My profile']);
    expect(await s.userRow(ADMIN.name).textContent()).toContain('(you)');
    expect(await s.userRow(OWNER.name).textContent()).toContain('Active');
    // An admin cannot change an owner: the owner's role and actions are locked.
    expect(await page.getByLabel(`Role of ${OWNER.name}`).isDisabled()).toBe(true);
    expect(await page.getByLabel(`Role of ${ADMIN.name}`).isDisabled()).toBe(false);
    await axeAndShot(page, 'settings-people-en');
  });

  it('invites an agent: the link is shown to copy; the invitee sets a password and lands signed in on the inbox', async () => {
    await page.getByRole('button', { name: 'Invite' }).click();
    const dialog = s.dialog();
    await dialog.getByLabel('Name').fill(AGENT.name);
    await dialog.getByLabel('E-mail').fill(AGENT.email);
    await dialog.getByLabel('Role').selectOption('agent');
    await axeAndShot(page, 'settings-invite-en');
    await dialog.getByRole('button', { name: 'Create invite link' }).click();
    const linkBox = dialog.getByLabel('Invite link');
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toMatch(new RegExp(`^${h.parley.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/invite/[^/]+$`));
    expect((await userByEmail(AGENT.email))?.invitePending).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await s.userRow(AGENT.name).waitFor();
    expect(await s.userRow(AGENT.name).textContent()).toContain('Invited');

    const second = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const p2 = await second.newPage();
    await p2.goto(link);
    await p2.locator('input[name="password"]').fill(AGENT.password);
    await p2.locator('input[name="repeat"]').fill(AGENT.password);
    await p2.locator('button[type="submit"]').click();
    await new InboxScreen(p2).waitForList();
    expect(new URL(p2.url()).pathname).toBe('/inbox');
    expect(await p2.locator('summary').textContent()).toContain(AGENT.name);
    await second.close();
    const agent = await userByEmail(AGENT.email);
    expect(agent?.invitePending).toBe(false);
  });

  it('tells API errors in plain words: an e-mail that exists', async () => {
    await page.getByRole('button', { name: 'Invite' }).click();
    const dialog = s.dialog();
    await dialog.getByLabel('Name').fill('Someone Else');
    await dialog.getByLabel('E-mail').fill(AGENT.email.toUpperCase());
    await dialog.getByRole('button', { name: 'Create invite link' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Somebody with this e-mail address is already in the workspace.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => s.dialog().count()).toBe(0);
  });

  it('changes a role, disables and enables, and makes a password-reset link', async () => {
    await page.getByLabel(`Role of ${AGENT.name}`).selectOption('supervisor');
    await expect.poll(async () => (await userByEmail(AGENT.email))?.role).toBe('supervisor');
    await page.getByLabel(`Role of ${AGENT.name}`).selectOption('agent');
    await expect.poll(async () => (await userByEmail(AGENT.email))?.role).toBe('agent');

    await page.getByRole('button', { name: `Disable ${AGENT.name}` }).click();
    await expect.poll(() => s.userRow(AGENT.name).textContent()).toContain('Disabled');
    expect((await userByEmail(AGENT.email))?.disabled).toBe(true);
    await page.getByRole('button', { name: `Enable ${AGENT.name}` }).click();
    await expect.poll(() => s.userRow(AGENT.name).textContent()).toContain('Active');
    expect((await userByEmail(AGENT.email))?.disabled).toBe(false);
    // Nobody disables themselves: there is no such button on one's own row.
    expect(await page.getByRole('button', { name: `Disable ${ADMIN.name}` }).count()).toBe(0);

    await page.getByRole('button', { name: `Reset link for ${AGENT.name}` }).click();
    const link = await s.dialog().getByLabel('Reset link').inputValue();
    expect(link).toMatch(/\/reset-password\/[^/]+$/);
    expect(link.startsWith(h.parley.url)).toBe(true);
    await axeAndShot(page, 'settings-reset-link-en');
    await s.dialog().getByRole('button', { name: 'Done' }).click();
  });

  it('tells an owner that the last owner stays, in plain words', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    ctx.setDefaultTimeout(10_000);
    const p = await ctx.newPage();
    const owner = new SettingsScreen(p);
    await owner.signIn(h.parley.url, OWNER);
    await owner.open(h.parley.url, 'people');
    await p.getByLabel(`Role of ${OWNER.name}`).selectOption('admin');
    await expect.poll(() => owner.alert().textContent()).toBe("This is the workspace's last owner: make somebody else an owner first.");
    expect((await userByEmail(OWNER.email))?.role).toBe('owner');
    await ctx.close();
  });
});

describe('settings: teams, workspace, profile', () => {
  it('creates, renames, sets members of and deletes a team', async () => {
    await s.open(h.parley.url, 'teams');
    await page.getByText('No teams yet').waitFor();
    await axeAndShot(page, 'settings-teams-empty-en');
    await page.getByLabel('New team').fill('Sales');
    await page.getByRole('button', { name: 'Create team' }).click();
    await s.team('Sales').waitFor();
    await page.getByLabel('New team').fill('Sales');
    await page.getByRole('button', { name: 'Create team' }).click();
    await expect.poll(() => s.alert().textContent()).toBe('A team with this name already exists: choose another name.');

    await page.getByRole('button', { name: 'Rename Sales' }).click();
    await s.dialog().getByLabel('Team name').fill('Sales EU');
    await s.dialog().getByRole('button', { name: 'Save' }).click();
    await s.team('Sales EU').waitFor();

    await page.getByRole('button', { name: 'Members of Sales EU' }).click();
    await s.dialog().getByLabel(new RegExp(AGENT.name)).check();
    await axeAndShot(page, 'settings-team-members-en');
    await s.dialog().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => s.team('Sales EU').textContent()).toContain(`1 member: ${AGENT.name}`);
    const agent = await userByEmail(AGENT.email);
    const teams = (await h.api.get('/api/v1/teams')).body.items as { name: string; memberIds: string[] }[];
    expect(teams).toEqual([expect.objectContaining({ name: 'Sales EU', memberIds: [agent!.id] })]);

    await page.getByLabel('New team').fill('Support');
    await page.getByRole('button', { name: 'Create team' }).click();
    await s.team('Support').waitFor();
    await axeAndShot(page, 'settings-teams-en');
    await page.getByRole('button', { name: 'Delete Support' }).click();
    await s.dialog().getByText('Its conversations keep their agent and lose the team.').waitFor();
    await s.dialog().getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => s.team('Support').count()).toBe(0);
    expect(((await h.api.get('/api/v1/teams')).body.items as { name: string }[]).map((t) => t.name)).toEqual(['Sales EU']);
  });

  it('changes who agents see', async () => {
    await s.open(h.parley.url, 'workspace');
    const choice = page.getByLabel(/Their own, their teams' and unassigned/);
    await choice.check();
    await axeAndShot(page, 'settings-workspace-en');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await h.api.get('/api/v1/workspace/settings')).body.agentVisibility).toBe('own_team_unassigned');
  });

  it('changes my name; a wrong current password is told in plain words', async () => {
    await s.open(h.parley.url, 'profile');
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await expect.poll(() => page.locator('summary').textContent()).toContain('Ada Lovelace');
    expect((await userByEmail(ADMIN.email))?.name).toBe('Ada Lovelace');

    await page.getByLabel('Current password').fill('not-my-password-at-all');
    await page.getByLabel('New password', { exact: true }).fill('another-strong-phrase-91');
    await page.getByLabel('New password again').fill('another-strong-phrase-91');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => s.alert().textContent()).toBe('The current password is wrong.');
    await axeAndShot(page, 'settings-profile-en');

    // The language is saved on the user and switches the app at once.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await expect.poll(async () => (await h.api.get('/api/v1/users')).body.items.find((u: { email: string }) => u.email === ADMIN.email)?.locale).toBe('ru');
    await page.getByRole('combobox', { name: 'Язык' }).selectOption('en');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
  });

  it('shows every settings page in Russian', async () => {
    await new InboxScreen(page).switchLanguage('Русский');
    for (const section of ['people', 'teams', 'workspace', 'profile'] as const) {
      await s.open(h.parley.url, section);
      await page.locator('[role="status"]').filter({ hasText: /Загружаем/ }).waitFor({ state: 'detached' });
      await axeAndShot(page, `settings-${section}-ru`);
    }
    await s.open(h.parley.url, 'people');
    await s.userRow(AGENT.name).waitFor();
    expect(await s.userRow(AGENT.name).textContent()).toContain('Активен');
    expect(await page.getByLabel(`Роль: ${AGENT.name}`).locator('option:checked').textContent()).toBe('Оператор');
    await new InboxScreen(page).switchLanguage('English');
  });

  it('shows an agent only their own profile, not People', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    ctx.setDefaultTimeout(10_000);
    const p = await ctx.newPage();
    const agent = new SettingsScreen(p);
    await agent.signIn(h.parley.url, AGENT);
    await p.getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => new URL(p.url()).pathname).toBe('/settings/profile');
    await p.locator('#settings-title').waitFor();
    expect(await agent.sections().allTextContents()).toEqual(['My profile']);
    await agent.open(h.parley.url, 'people');
    await p.getByText('Only owners and admins can open this page').waitFor();
    expect(await p.locator('tr[data-user-id]').count()).toBe(0);
    await axeAndShot(p, 'settings-agent-forbidden-en');
    await ctx.close();
  });

  it('shows the loading state, then an error in plain words with a retry that recovers', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route('**/api/v1/workspace/settings', async (route) => { await held; await route.abort('connectionrefused'); });
    await page.goto(`${h.parley.url}/settings/workspace`);
    await page.getByRole('status').filter({ hasText: 'Loading the workspace settings…' }).waitFor();
    release();
    await expect.poll(() => s.alert().textContent()).toBe('The workspace settings could not be loaded: Parley cannot be reached. Check the connection and try again.');
    await page.unroute('**/api/v1/workspace/settings');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByLabel(/Their own, their teams' and unassigned/).waitFor();
    expect(await page.getByLabel(/Their own, their teams' and unassigned/).isChecked()).toBe(true);
  });

  it('ran with no CSP violation', async () => {
    expect(await violations()).toEqual([]);
  });
});
