// SLA in headless chromium against a real Parley + sandbox (SQLite), Parley's clock advanced by the
// test: an admin sets a 30-minute first-response target in Settings → Response times, to raise the
// priority and tell a supervisor; a customer's message goes unanswered; past 30 minutes the timers worker
// escalates: the supervisor (Russian UI) gets an alert with the customer's name, the chat is red in the
// list, and "Open the chat" opens it, urgent and red in the header.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { signInAs, type SignedInOperator } from '../helpers/sign-in.js';
import { startHarness, type Harness } from '../parley/harness.js';
import { customerWrites } from '../parley/assignment-steps.js';
import { screenshot, seriousViolations, signedInPage } from './app-pages.js';

const MIN = 60_000;
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

const pageOf = (who: SignedInOperator, locale: 'en' | 'ru') => signedInPage(browser, h.parley.url, who, locale);

describe('SLA in the browser', () => {
  it('an unanswered chat past its target turns red, is raised to urgent and the named supervisor is alerted', async () => {
    const admin = await signInAs(h, 'admin', { name: 'Alex Admin' });
    const supervisor = await signInAs(h, 'supervisor', { name: 'Ольга Соколова' });
    const a = await pageOf(admin, 'en');
    await a.page.goto(`${h.parley.url}/settings/sla`);
    await a.page.getByLabel('First response, minutes').fill('30');
    await a.page.getByLabel('Raise its priority to urgent').check();
    await a.page.getByRole('group', { name: 'Notify these people' }).getByLabel('Ольга Соколова').check();
    await a.page.getByRole('button', { name: 'Save' }).click();
    await a.page.getByText('Saved.').waitFor();
    expect(await seriousViolations(a.page)).toEqual([]);
    shots.push(await screenshot(a.page, 'sla-settings-en'));
    expect((await h.api.get('/api/v1/sla')).body.default).toMatchObject({
      firstResponseMinutes: 30, escalation: { raisePriority: true, notifyUserIds: [supervisor.user.id] },
    });

    // A team with its own, shorter target; the workspace's stays.
    const team = await h.api.post('/api/v1/teams', { name: 'VIP desk' });
    expect(team.status).toBe(201);
    await a.page.reload();
    await a.page.getByTestId('sla-scope').selectOption({ label: 'Team VIP desk (uses the workspace’s)' });
    await a.page.getByRole('button', { name: 'Give it its own' }).click();
    await a.page.getByLabel('First response, minutes').fill('10');
    await a.page.getByRole('button', { name: 'Save' }).click();
    await a.page.getByText('Saved.').waitFor();
    expect(await a.page.getByTestId('sla-scope').locator('option:checked').textContent()).toBe('Team VIP desk (its own)');
    shots.push(await screenshot(a.page, 'sla-team-targets-en'));
    const saved = (await h.api.get('/api/v1/sla')).body;
    expect(saved.default.firstResponseMinutes).toBe(30);
    expect(saved.teams).toEqual([expect.objectContaining({ teamId: team.body.id, firstResponseMinutes: 10 })]);

    offset = 0;
    const conversationId = await customerWrites(h, '447400126001', 'Is anyone there? My order is late');
    const s = await pageOf(supervisor, 'ru');
    const row = s.page.locator(`[role="listbox"] [data-conversation-id="${conversationId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-sla]').count()).toBe(0);

    offset = 31 * MIN;
    await h.parley.timers.runOnce();
    const alert = s.page.locator(`[data-alert="sla"][data-conversation-id="${conversationId}"]`);
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Ответ просрочен');
    expect(await alert.textContent()).toContain('Customer 6001');
    await row.locator('[data-sla="red"]').waitFor();
    // The browser counts with its own clock (the test moved only Parley's): the wording, not the minutes.
    expect(await row.locator('[data-sla="red"]').textContent()).toMatch(/^Просрочено на \d+ мин$/);
    expect(await seriousViolations(s.page)).toEqual([]);
    shots.push(await screenshot(s.page, 'sla-alert-ru'));

    await alert.getByRole('link', { name: 'Открыть чат' }).click();
    const pane = s.page.locator(`section[data-conversation-id="${conversationId}"]`);
    await pane.locator('header [data-sla="red"]').waitFor();
    expect(await pane.textContent()).toContain('Срочный');
    expect(await alert.count()).toBe(0);
    shots.push(await screenshot(s.page, 'sla-escalated-chat-ru'));
    expect(await a.violations()).toEqual([]);
    expect(await s.violations()).toEqual([]);
    // The admin was not named: no alert for them.
    expect(await a.page.locator('[data-alert="sla"]').count()).toBe(0);
  });
});
