// Inbox search in headless chromium against a real Parley + sandbox (SQLite): a Cyrillic message
// found by a lower-case prefix and opened, hostile text inert in results, contacts, "Load older",
// the empty state, the no-letters hint, "/" and Esc, axe-core, screenshots in en and ru.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watchCspViolations } from '../helpers/browser.js';
import { startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, SignInScreen, screenshot, seriousViolations } from './app-pages.js';

const ADMIN = { email: 'sam.search@example.com', name: 'Sam Search', password: 'amber-lantern-orchard-73' };

/** Page object of the search box and its results (web/src/pages/inbox/search). */
class SearchScreen {
  constructor(readonly page: Page) {}
  box() { return this.page.getByRole('searchbox', { name: 'Search messages and contacts' }); }
  async search(text: string): Promise<void> { await this.box().fill(text); }
  messageResults() { return this.page.locator('button[data-message-id]'); }
  contactResults() { return this.page.locator('button[data-contact-id]'); }
  marks() { return this.messageResults().locator('mark'); }
}

let h: Harness;
let browser: Browser;
let page: Page;
let violations: () => Promise<string[]>;
const shots: string[] = [];

async function customerWrites(waId: string, text: string): Promise<void> {
  const res = await h.sandbox.post(`/_sandbox/customers/${waId}/messages`, { type: 'text', text });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

async function conversationOf(waId: string): Promise<string> {
  const list = await h.api.get('/api/v1/conversations?limit=100');
  const found = list.body.items.find((c: { contact: { waId: string } }) => c.contact.waId === waId);
  expect(found, `a conversation with ${waId}`).toBeTruthy();
  return found.id as string;
}

beforeAll(async () => {
  h = await startHarness();
  const created = await h.api.post('/api/v1/users', { ...ADMIN, role: 'admin', locale: 'en' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await customerWrites('79161234567', 'Здравствуйте! Заказ №1042 ещё не пришёл, где он?');
  await customerWrites('447911123456', 'Order status? <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> <b>bold</b>');
  for (let i = 1; i <= 22; i++) await customerWrites('5511987654321', `parcel tracking question ${i}`);
  await h.settleWebhooks();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  violations = await watchCspViolations(page);
  const signIn = new SignInScreen(page);
  await signIn.open(h.parley.url);
  await signIn.signIn(ADMIN.email, ADMIN.password);
  await new InboxScreen(page).waitForList();
}, 90_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

describe('search in the inbox', () => {
  it('finds a customer\'s Cyrillic message by a lower-case prefix, highlights it and opens the conversation', async () => {
    const search = new SearchScreen(page);
    const inbox = new InboxScreen(page);
    await inbox.rows().first().waitFor();
    // "/" (by event.code) focuses the box when not typing in a field.
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('Slash');
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('inbox-search');
    await page.keyboard.type('зак');
    const hit = search.messageResults().filter({ hasText: '№1042' });
    await hit.waitFor();
    expect(await search.messageResults().count()).toBe(1);
    expect(await hit.locator('mark').allTextContents()).toEqual(['Зак']);
    expect(await inbox.rows().count()).toBe(0); // the results replace the list
    const id = await conversationOf('79161234567');
    expect(await hit.getAttribute('data-conversation-id')).toBe(id);
    await hit.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/inbox/${id}`);
    await page.locator(`section[data-conversation-id="${id}"]`).waitFor();
    // The search stays while a result is open; Esc clears it and the list is back.
    expect(await hit.getAttribute('aria-current')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'search-results-en'));
    await search.box().press('Escape');
    await inbox.rows().first().waitFor();
    expect(await search.box().inputValue()).toBe('');
  });

  it('shows a hostile message text as inert text in the results', async () => {
    const search = new SearchScreen(page);
    await search.search('order');
    const hit = search.messageResults().filter({ hasText: 'Order status' });
    await hit.waitFor();
    expect(await hit.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await hit.textContent()).toContain('<b>bold</b>');
    expect(await search.messageResults().locator('img, script, b').count()).toBe(0);
    expect(await hit.locator('mark').allTextContents()).toEqual(['Order']);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('lists contacts and opens their latest conversation', async () => {
    const search = new SearchScreen(page);
    const contact = await h.api.get('/api/v1/search?q=447911');
    expect(contact.status).toBe(200);
    await search.search('447911');
    const row = search.contactResults().first();
    await row.waitFor();
    expect(await row.textContent()).toContain('447911123456');
    await row.click();
    const id = await conversationOf('447911123456');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/inbox/${id}`);

    // A contact nobody has talked to yet: said so, and nothing opens.
    const made = await h.api.post('/api/v1/contacts', { phone: '+4915112345678', name: 'Zelda Quietmouse' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await search.search('quietmouse');
    const quiet = search.contactResults().filter({ hasText: 'Zelda Quietmouse' });
    await quiet.click();
    await page.getByText('No conversation with this contact yet.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/inbox/${id}`);
  });

  it('pages older messages with "Load older"', async () => {
    const search = new SearchScreen(page);
    await search.search('parcel');
    await search.messageResults().nth(19).waitFor();
    expect(await search.messageResults().count()).toBe(20);
    expect(await search.messageResults().first().textContent()).toContain('question 22');
    await page.getByRole('button', { name: 'Load older' }).click();
    await expect.poll(() => search.messageResults().count()).toBe(22);
    expect(await search.messageResults().last().textContent()).toContain('question 1');
    await expect.poll(() => page.getByRole('button', { name: 'Load older' }).count()).toBe(0);
  });

  it('says when nothing is found, hints when there is nothing to search, and only the last query counts', async () => {
    const search = new SearchScreen(page);
    await search.search('zzqqxx');
    await page.getByText('Nothing found for «zzqqxx»').waitFor();
    await search.search('!!!');
    await page.getByText('Type a word, a name or a number').waitFor();
    // Typed quickly: the earlier queries never show.
    await search.box().pressSequentially('parcel', { delay: 20 });
    await search.box().fill('заказ');
    await search.messageResults().filter({ hasText: '№1042' }).waitFor();
    expect(await search.messageResults().count()).toBe(1);
  });

  it('shows a failed search in plain words, and a retry that recovers', async () => {
    const search = new SearchScreen(page);
    await page.route('**/api/v1/search?*', (route) => route.abort('connectionrefused'));
    await search.search('parcel');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The search failed: Parley cannot be reached, check the connection');
    await page.unroute('**/api/v1/search?*');
    await page.getByRole('button', { name: 'Try again' }).click();
    await search.messageResults().first().waitFor();
    expect(await search.messageResults().count()).toBe(20);
  });

  it('shows the results in Russian', async () => {
    const search = new SearchScreen(page);
    await search.box().press('Escape');
    await new InboxScreen(page).switchLanguage('Русский');
    await page.getByRole('searchbox', { name: 'Поиск по сообщениям и контактам' }).fill('заказ');
    await search.messageResults().filter({ hasText: '№1042' }).waitFor();
    await page.getByRole('heading', { name: 'Сообщения' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'search-results-ru'));
    await page.getByRole('searchbox').first().fill('щщщщ');
    await page.getByText('По запросу «щщщщ» ничего не найдено').waitFor();
    shots.push(await screenshot(page, 'search-empty-ru'));
    await page.getByRole('searchbox').first().press('Escape');
    await new InboxScreen(page).switchLanguage('English');
  });

  it('ran with no CSP violation', async () => {
    expect(await violations()).toEqual([]);
  });
});
