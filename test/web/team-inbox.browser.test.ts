// Two agents of one team in two browser contexts against a real Parley + sandbox (SQLite, then
// PostgreSQL + Redis for the live bus), customers
// driven through the sandbox: live arrival for both, "Assign to me" seen live by the other (whose
// composer gives way to a notice, and whose API send is refused 403), typing/viewing, the reply reaching
// the sandbox, priority, resolve and the customer reopening it, shortcuts on a Russian layout,
// transfer (refused for an agent, done by a supervisor, note in the history), own_team_unassigned
// visibility (no row, no live event), a cut socket catching up, axe-core, ru/en screenshots.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, watchCspViolations } from '../helpers/browser.js';
import { cookieClient, signInAs, type SignedInOperator } from '../helpers/sign-in.js';
import { eventually, startHarness, type DbKind, type Harness, type HttpClient } from '../parley/harness.js';
import { InboxScreen, SignInScreen, screenshot, seriousViolations } from './app-pages.js';
import { TeamScreen } from './team-screen.js';

const MARIA = { email: 'maria.agent@example.com', name: 'Maria Agent', password: 'copper-meadow-falcon-31' };
const BORIS = { email: 'boris.agent@example.com', name: 'Boris Agent', password: 'silver-canyon-otter-58' };
const CUSTOMER = '447911555001';
const OTHER_CUSTOMER = '447911555002';
const DBS: DbKind[] = ['sqlite', 'postgres'];

interface Operator { id: string; page: Page; context: BrowserContext; screen: TeamScreen; violations: () => Promise<string[]> }

let h: Harness;
let browser: Browser;
let a: Operator;
let b: Operator;
let supervisor: SignedInOperator;
let bApi: HttpClient;
let conversationId: string;
let inboxId: string;
let contactId: string;
let billingTeamId: string;
const shots: string[] = [];

/** Screenshots once (from the SQLite run): the UI is the same on both databases. */
let shootNow = true;
async function shoot(page: Page, name: string): Promise<void> {
  if (shootNow) shots.push(await screenshot(page, name));
}

async function customerWrites(waId: string, text: string): Promise<void> {
  const res = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

async function conversationOf(waId: string): Promise<{ id: string; inboxId: string; contactId: string }> {
  return eventually(async () => {
    const list = await h.api.get('/api/v1/conversations?limit=100');
    return list.body.items.find((c: { contact: { waId: string } }) => c.contact.waId === waId);
  }, { what: `the conversation of ${waId}` });
}

async function storedTexts(id: string): Promise<string[]> {
  const page = await h.api.get(`/api/v1/conversations/${id}/messages?limit=100`);
  return page.body.items.map((m: { content: { body?: string } }) => m.content.body ?? '');
}

async function createUser(u: { email: string; name: string; password: string }): Promise<string> {
  const res = await h.api.post('/api/v1/users', { email: u.email, name: u.name, role: 'agent', password: u.password, locale: 'en' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.user?.id ?? res.body.id;
}

async function operator(u: { email: string; password: string }, id: string): Promise<Operator> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, locale: 'en-US' });
  const page = await context.newPage();
  const screen = new TeamScreen(page);
  await screen.recordLive();
  const violations = await watchCspViolations(page);
  const signIn = new SignInScreen(page);
  await signIn.open(h.parley.url);
  await signIn.signIn(u.email, u.password);
  await new InboxScreen(page).waitForList();
  return { id, page, context, screen, violations };
}

async function openConversation(o: Operator, id: string): Promise<void> {
  await o.screen.row(id).click();
  await o.screen.bar().waitFor();
  await o.page.locator(`section[data-conversation-id="${id}"] [role="log"]`).waitFor();
}

afterAll(() => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
});

describe.each(DBS)('working a conversation as a team (%s)', (db) => {
  beforeAll(async () => {
    shootNow = db === DBS[0];
    h = await startHarness({ db });
    // Customers who receive and read at once and never write by themselves (the test writes for them).
    const persona = await fetch(`${h.parley.sandbox!.url}/_sandbox/personas/team-quiet`, {
      method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reachable: 1, deliverMs: [0, 0], read: 1, readMs: [0, 0], reply: 0, replyMs: [0, 0], replies: ['ok'],
        block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 10,
      }),
    });
    expect(persona.status).toBe(200);
    for (const [waId, name] of [[CUSTOMER, 'Olga Petrova'], [OTHER_CUSTOMER, 'Ivan Sidorov']] as const) {
      const made = await h.sandbox.post('/_sandbox/customers', { waId, name, persona: 'team-quiet' });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const mariaId = await createUser(MARIA);
    const borisId = await createUser(BORIS);
    supervisor = await signInAs(h, 'supervisor', { name: 'Sam Supervisor' });
    const support = await h.api.post('/api/v1/teams', { name: 'Support', memberIds: [mariaId, borisId] });
    expect(support.status, JSON.stringify(support.body)).toBe(201);
    const billing = await h.api.post('/api/v1/teams', { name: 'Billing', memberIds: [supervisor.user.id] });
    expect(billing.status, JSON.stringify(billing.body)).toBe(201);
    billingTeamId = billing.body.id;

    browser = await launchChromium();
    a = await operator(MARIA, mariaId);
    b = await operator(BORIS, borisId);
    const cookie = (await b.context.cookies()).find((c) => c.name === 'parley_session');
    expect(cookie).toBeTruthy();
    const me = await cookieClient(h, `parley_session=${cookie!.value}`).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    bApi = cookieClient(h, `parley_session=${cookie!.value}`, me.body.csrfToken);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

    it('shows a customer\'s message live to both agents, with folder counts; each sees the other viewing', async () => {
      await customerWrites(CUSTOMER, 'Hello, my order 1042 is late');
      ({ id: conversationId, inboxId, contactId } = await conversationOf(CUSTOMER));
      await a.screen.row(conversationId).waitFor({ timeout: 10_000 });
      await b.screen.row(conversationId).waitFor({ timeout: 10_000 });
      await expect.poll(() => a.screen.folderCount('unassigned').getAttribute('data-total'), { timeout: 10_000 }).toBe('1');
      expect(await a.screen.folderCount('all').getAttribute('data-unread')).toBe('1');
      expect(await a.screen.folderCount('mine').getAttribute('data-total')).toBe('0');

      await openConversation(a, conversationId);
      expect(await a.screen.assignee().textContent()).toContain('Unassigned');
      await openConversation(b, conversationId);
      await expect.poll(() => a.screen.collision().textContent(), { timeout: 10_000 }).toContain('Boris Agent is viewing');
    });

    it('"Assign to me": the other agent sees it live, gets the notice instead of the composer, and an API send is refused 403', async () => {
      await a.screen.button('Assign to me').click();
      await expect.poll(() => a.screen.assignee().textContent()).toContain('Maria Agent (you)');
      expect(await a.screen.textBox().count()).toBe(1);

      await expect.poll(() => b.screen.assigneeId(), { timeout: 10_000 }).toBe(a.id);
      await b.screen.locked().waitFor();
      expect(await b.screen.locked().textContent()).toContain('Assigned to Maria Agent — only Maria Agent or a supervisor can reply.');
      expect(await b.screen.textBox().count()).toBe(0);
      // A private note is still B's to write: N (Russian layout) opens the note box, R goes back.
      await b.page.locator('body').click({ position: { x: 5, y: 5 } });
      await b.screen.pressOnRussianLayout('KeyN', 'т');
      await expect.poll(() => b.page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('TEXTAREA');
      expect(await b.screen.locked().count()).toBe(0);
      await b.page.locator('body').click({ position: { x: 5, y: 5 } });
      await b.screen.pressOnRussianLayout('KeyR', 'к');
      await b.screen.locked().waitFor();
      expect(await b.screen.textBox().count()).toBe(0);
      await expect.poll(() => b.screen.row(conversationId).textContent()).toContain('Maria Agent');

      const refused = await bApi.post('/api/v1/messages', { inboxId, contactId, content: { type: 'text', body: 'Boris here' } });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('conversation_assigned_to_other');

      // B has no "Assign to me" on A's conversation; the shortcut (A, Russian layout) is told why, in plain words.
      expect(await b.screen.button('Assign to me').count()).toBe(0);
      await b.page.locator('body').click({ position: { x: 5, y: 5 } });
      await b.screen.pressOnRussianLayout('KeyA', 'ф');
      await expect.poll(() => b.screen.error().textContent()).toBe('Someone else already took this conversation. Ask a supervisor to reassign it.');
      await expect.poll(() => a.screen.folderCount('mine').getAttribute('data-total'), { timeout: 10_000 }).toBe('1');
    });

    it('shows the other\'s typing; the assignee\'s reply reaches the customer', async () => {
      await a.screen.textBox().click();
      await a.page.keyboard.type('We are on it');
      await expect.poll(() => b.screen.collision().textContent(), { timeout: 10_000 }).toContain('Maria Agent is typing…');
      await a.page.keyboard.press('Enter');
      await eventually(async () => {
        const sent = await h.sandbox.get(`/_sandbox/messages?to=${CUSTOMER}`);
        return JSON.stringify(sent.body.data).includes('We are on it') || undefined;
      }, { what: 'the reply at the sandbox' });
      await b.page.locator('[data-message-id][data-direction="out"]').filter({ hasText: 'We are on it' }).waitFor({ timeout: 10_000 });
    });

    it('has no serious axe violations with the header menus open; screenshot of the assigned header', async () => {
      await shoot(a.page, 'team-header-en');
      await a.screen.openSnooze();
      await a.screen.snoozeOption('hour').waitFor();
      expect(await seriousViolations(a.page)).toEqual([]);
      await a.page.keyboard.press('Escape');
      await a.screen.openHistory();
      await a.screen.history().waitFor();
      expect(await a.screen.history().textContent()).toContain('to Maria Agent');
      expect(await seriousViolations(a.page)).toEqual([]);
      await shoot(a.page, 'team-history-en');
      await a.page.keyboard.press('Escape');
      expect(await a.screen.history().count()).toBe(0);
    });

    it('sets the priority (shown in both lists, filtered by); Resolve takes it out of the open folder; the customer reopens it', async () => {
      await a.screen.setPriority('high');
      await expect.poll(() => a.screen.priorityButton().textContent()).toBe('Priority: High');
      await expect.poll(() => b.screen.row(conversationId).locator('[data-priority]').textContent(), { timeout: 10_000 }).toBe('High');

      // The priority filter (and a sort) on B's side: urgent hides it, high shows it.
      await b.screen.showFilters();
      await b.screen.priorityFilter().selectOption('urgent');
      await expect.poll(() => b.screen.row(conversationId).count(), { timeout: 10_000 }).toBe(0);
      await b.screen.priorityFilter().selectOption('high');
      await b.screen.row(conversationId).waitFor({ timeout: 10_000 });
      await b.screen.sortSelect().selectOption('waiting');
      await b.screen.row(conversationId).waitFor({ timeout: 10_000 });
      await b.screen.priorityFilter().selectOption('');
      await b.screen.sortSelect().selectOption('last_activity');
      await b.screen.row(conversationId).waitFor({ timeout: 10_000 });

      await a.screen.button('Resolve').click();
      await expect.poll(() => a.screen.state()).toBe('resolved');
      await expect.poll(() => a.screen.row(conversationId).count(), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => b.screen.row(conversationId).count(), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => a.screen.folderCount('all').getAttribute('data-total'), { timeout: 10_000 }).toBe('0');

      await customerWrites(CUSTOMER, 'Sorry, one more question');
      await a.screen.row(conversationId).waitFor({ timeout: 10_000 });
      await b.screen.row(conversationId).waitFor({ timeout: 10_000 });
      await expect.poll(() => a.screen.state(), { timeout: 10_000 }).toBe('open');
      expect((await h.api.get(`/api/v1/conversations/${conversationId}`)).body.state).toBe('open');
    });

    it('keyboard shortcuts by key code (a Russian layout): ? the sheet, R the composer, S snooze, E resolve', async () => {
      await a.page.locator('body').click({ position: { x: 5, y: 5 } });
      await a.screen.pressOnRussianLayout('Slash', ',', { shiftKey: true });
      await a.screen.shortcutSheet().waitFor();
      expect(await a.screen.shortcutSheet().textContent()).toContain('Assign to me');
      await shoot(a.page, 'team-shortcuts-en');
      expect(await seriousViolations(a.page)).toEqual([]);
      await a.page.keyboard.press('Escape');
      await expect.poll(() => a.screen.shortcutSheet().count()).toBe(0);

      await a.screen.pressOnRussianLayout('KeyR', 'к');
      await expect.poll(() => a.page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('TEXTAREA');
      // Typing in the field is typing, not a shortcut.
      await a.page.keyboard.type('e');
      expect(await a.screen.state()).toBe('open');
      await a.screen.textBox().fill('');
      await a.page.locator('body').click({ position: { x: 5, y: 5 } });

      await a.screen.pressOnRussianLayout('KeyS', 'ы');
      await a.screen.snoozeOption('untilReply').click();
      await expect.poll(() => a.screen.state()).toBe('snoozed');
      expect(await a.screen.bar().textContent()).toContain('Snoozed until the customer replies');

      await a.screen.pressOnRussianLayout('KeyE', 'у');
      await expect.poll(() => a.screen.state()).toBe('resolved');
      await customerWrites(CUSTOMER, 'Are you still there?');
      await expect.poll(() => a.screen.state(), { timeout: 10_000 }).toBe('open');
    });

    it('transfer: an agent may not hand it to another (told why); a supervisor does, with a note the new assignee reads', async () => {
      await a.screen.button('Transfer…').click();
      const dialog = a.screen.transferDialog();
      await dialog.waitFor();
      await dialog.locator('[data-testid="transfer-person"]').selectOption(b.id);
      await dialog.locator('[data-testid="transfer-note"]').fill('Refund case, Boris knows the shop');
      await shoot(a.page, 'team-transfer-en');
      expect(await seriousViolations(a.page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toBe(
        'Agents can only assign a conversation to themselves. Ask a supervisor to assign it to someone else or to a team.',
      );
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await a.screen.transferDialog().count()).toBe(0);

      const moved = await supervisor.client.post(`/api/v1/conversations/${conversationId}/assignment`, { assigneeId: b.id, note: 'Refund case, Boris knows the shop' });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      await expect.poll(() => b.screen.assigneeId(), { timeout: 10_000 }).toBe(b.id);
      await b.screen.textBox().waitFor();
      expect(await b.screen.locked().count()).toBe(0);
      await a.screen.locked().waitFor({ timeout: 10_000 });
      expect(await a.screen.locked().textContent()).toContain('Assigned to Boris Agent');
      await b.screen.openHistory();
      await b.screen.history().waitFor();
      await expect.poll(() => b.screen.history().textContent()).toContain('Refund case, Boris knows the shop');
      expect(await b.screen.history().textContent()).toContain('by Sam Supervisor');
      await b.page.keyboard.press('Escape');
    });

    it('catches up after the live socket is cut: all three messages sent meanwhile show', async () => {
      await a.screen.cutLive();
      await expect.poll(() => a.page.evaluate('window.liveSockets.every((ws) => ws.readyState === 3)')).toBe(true);
      for (const text of ['cut one', 'cut two', 'cut three']) await customerWrites(CUSTOMER, text);
      await eventually(async () => {
        const texts = await storedTexts(conversationId);
        return ['cut one', 'cut two', 'cut three'].every((t) => texts.includes(t)) || undefined;
      }, { what: 'three messages stored' });
      const inPane = () => a.page.locator('[data-message-id][data-direction="in"]').filter({ hasText: /cut (one|two|three)/ }).count();
      expect(await inPane()).toBe(0);
      await a.screen.restoreLive();
      await expect.poll(inPane, { timeout: 20_000 }).toBe(3);
      await expect.poll(() => a.screen.row(conversationId).textContent(), { timeout: 10_000 }).toContain('cut three');
    });

    it('shows the header, the transfer dialog and the shortcut sheet in Russian', async () => {
      await new InboxScreen(a.page).switchLanguage('Русский');
      await expect.poll(() => a.screen.locked().textContent()).toContain('Диалог назначен оператору Boris Agent');
      expect(await a.screen.bar().textContent()).toContain('Команда');
      await shoot(a.page, 'team-header-ru');
      await a.screen.button('Передать…').click();
      await a.screen.transferDialog().waitFor();
      expect(await a.screen.transferDialog().textContent()).toContain('Передать диалог');
      await shoot(a.page, 'team-transfer-ru');
      await a.page.keyboard.press('Escape');
      await expect.poll(() => a.screen.transferDialog().count()).toBe(0);
      await a.page.locator('body').click({ position: { x: 5, y: 5 } });
      await a.screen.pressOnRussianLayout('Slash', ',', { shiftKey: true });
      await a.screen.shortcutSheet().waitFor();
      expect(await a.screen.shortcutSheet().textContent()).toContain('Сочетания клавиш');
      await shoot(a.page, 'team-shortcuts-ru');
      expect(await seriousViolations(a.page)).toEqual([]);
      await a.page.keyboard.press('Escape');
      await new InboxScreen(a.page).switchLanguage('English');
    });

    it('with own_team_unassigned, another team\'s conversation is absent from the agent\'s list and sends no live update', async () => {
      const set = await h.api.patch('/api/v1/workspace/settings', { agentVisibility: 'own_team_unassigned' });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      await customerWrites(OTHER_CUSTOMER, 'Question about my invoice');
      const other = await conversationOf(OTHER_CUSTOMER);
      await b.screen.row(other.id).waitFor({ timeout: 10_000 }); // unassigned: visible
      const moved = await h.api.post(`/api/v1/conversations/${other.id}/assignment`, { teamId: billingTeamId });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      await expect.poll(() => b.screen.row(other.id).count(), { timeout: 10_000 }).toBe(0);

      await b.screen.clearLiveEvents();
      await customerWrites(OTHER_CUSTOMER, 'Hello? Invoice 77');
      await eventually(async () => (await storedTexts(other.id)).includes('Hello? Invoice 77') || undefined, { what: 'the second message stored' });
      // A message of a visible conversation after it: once B has that, B would have had the other too.
      await customerWrites(CUSTOMER, 'Marker message');
      await b.page.locator('[data-message-id]').filter({ hasText: 'Marker message' }).waitFor({ timeout: 10_000 });
      expect(await b.screen.liveEventsFor(other.id)).toEqual([]);
      expect(await b.screen.row(other.id).count()).toBe(0);
      expect((await bApi.get(`/api/v1/conversations/${other.id}`)).status).toBe(404);
    });

    it('ran without CSP violations', async () => {
      expect(await a.violations()).toEqual([]);
      expect(await b.violations()).toEqual([]);
    });
});
