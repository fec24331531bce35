// Private notes in headless chromium against a real Parley + sandbox (SQLite): operator A switches the
// composer to Note, types "@Бор", picks Борис from the people picker, adds the note; B (Russian UI, in
// another browser context) sees it live, yellow with the mention highlighted, and has the conversation in
// Mentions until opening it again. The customer never receives it. axe-core, screenshots in en and ru.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, SignInScreen, newAppPage, screenshot, seriousViolations } from './app-pages.js';
import { ConversationScreen } from './conversation-screen.js';

const CUSTOMER = '447911123988';
const ANN = { email: 'ann.agent@example.com', name: 'Ann Agent', password: 'copper-meadow-lantern-58', role: 'agent', locale: 'en' };
const BORIS = { email: 'boris.agent@example.com', name: 'Борис Бета', password: 'quiet-river-pebble-64', role: 'agent', locale: 'ru' };
const SECRET = 'refund approved internally';

/** Page object of the composer's note mode and the notes in the timeline. */
class NotesScreen {
  readonly pane: ConversationScreen;
  constructor(readonly page: Page) { this.pane = new ConversationScreen(page); }
  async signIn(baseUrl: string, who: { email: string; password: string }): Promise<void> {
    const s = new SignInScreen(this.page);
    await s.open(baseUrl);
    await s.signIn(who.email, who.password);
    await new InboxScreen(this.page).waitForList();
  }
  modeButton(name: RegExp) { return this.pane.pane().locator('[role="group"]').filter({ has: this.page.getByRole('button', { name: /^Note$|^Заметка$/ }) }).getByRole('button', { name }); }
  noteComposer() { return this.page.getByTestId('note-composer'); }
  noteBox() { return this.noteComposer().locator('textarea'); }
  people() { return this.noteComposer().getByRole('listbox'); }
  notes() { return this.pane.pane().getByTestId('note'); }
  async mentionIds(): Promise<string[]> {
    return this.page.evaluate(async () => {
      const res = await fetch('/api/v1/conversations/mentions', { credentials: 'same-origin' });
      return ((await res.json()) as { items: Array<{ id: string }> }).items.map((c) => c.id);
    });
  }
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
  for (const who of [ANN, BORIS]) {
    const created = await h.api.post('/api/v1/users', who);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  expect((await h.sandbox.post('/_sandbox/customers', { waId: CUSTOMER, name: 'Maria Lopez' })).status).toBe(201);
  expect((await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text: 'I want my money back' })).status).toBeLessThan(300);
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

describe('private notes in the browser', () => {
  it('A writes a note mentioning B; B sees it live and in Mentions; the customer never gets it', async () => {
    const a = await newPage('en-US');
    const b = await newPage('ru-RU');
    const ann = new NotesScreen(a.page);
    const boris = new NotesScreen(b.page);
    await ann.signIn(h.parley.url, ANN);
    await boris.signIn(h.parley.url, BORIS);
    await ann.pane.open(h.parley.url, conversationId);
    await boris.pane.open(h.parley.url, conversationId);
    expect(await boris.mentionIds()).toEqual([]);

    await ann.modeButton(/^Note$/).click();
    await ann.noteComposer().waitFor();
    await ann.noteBox().click();
    await ann.noteBox().pressSequentially('@Бор');
    await ann.people().getByRole('option', { name: 'Борис Бета' }).waitFor();
    await axeAndShot(a.page, 'notes-picker-en');
    await a.page.keyboard.press('Enter');
    expect(await ann.noteBox().inputValue()).toBe('@Борис Бета ');
    await a.page.keyboard.type(SECRET);
    await a.page.keyboard.press('Enter');
    await ann.notes().filter({ hasText: SECRET }).waitFor();
    expect(await ann.noteBox().inputValue()).toBe('');
    await axeAndShot(a.page, 'notes-timeline-en');

    // B: live, yellow, the mention highlighted; in Russian.
    const note = boris.notes().filter({ hasText: SECRET });
    await note.waitFor();
    expect(await note.locator('mark').textContent()).toBe('@Борис Бета');
    expect(await note.textContent()).toContain('Ann Agent');
    expect(await note.textContent()).toContain('Заметка');
    await axeAndShot(b.page, 'notes-timeline-ru');
    expect(await boris.mentionIds()).toEqual([conversationId]);
    expect(await ann.mentionIds()).toEqual([]);
    // The Mentions folder («Упоминания») lists it.
    await b.page.locator('button[data-folder="mentions"]').click();
    expect(await b.page.locator('button[data-folder="mentions"]').textContent()).toContain('Упоминания');
    await b.page.locator(`[role="listbox"] [data-conversation-id="${conversationId}"]`).waitFor();
    await axeAndShot(b.page, 'notes-mentions-folder-ru');

    // Opening the conversation again clears B's Mentions.
    await boris.pane.open(h.parley.url, conversationId);
    await boris.notes().filter({ hasText: SECRET }).waitFor();
    await eventually(async () => (await boris.mentionIds()).length === 0, { what: "B's mention seen" });

    // Never sent: the sandbox customer received nothing with the note's text, and it is no message.
    const received = await h.sandbox.get(`/_sandbox/messages?to=${CUSTOMER}`);
    expect(received.status).toBe(200);
    expect(JSON.stringify(received.body)).not.toContain(SECRET);
    expect(JSON.stringify((await h.api.get(`/api/v1/conversations/${conversationId}/messages`)).body)).not.toContain(SECRET);

    // Back to Reply: the box sends to the customer again.
    await ann.modeButton(/^Reply$/).click();
    await ann.pane.send('We are on it');
    await eventually(async () => JSON.stringify((await h.sandbox.get(`/_sandbox/messages?to=${CUSTOMER}`)).body).includes('We are on it'), { what: 'the reply sent' });
    expect(await a.violations()).toEqual([]);
    expect(await b.violations()).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
  });
});
