// The conversation pane in headless chromium against a real Parley + sandbox (SQLite): a customer's
// *bold* text rendered bold and a hostile <img onerror> inert, media, location and document bubbles,
// a read receipt, the operator's reply going delivered → read, a reaction and a quote, the draft
// kept, a policy refusal shown inline, and past 24 h the template picker sending a template. ru/en
// screenshots; axe-core without serious violations.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, watchCspViolations } from '../helpers/browser.js';
import { eventually, startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, SignInScreen, screenshot, seriousViolations } from './app-pages.js';
import { ConversationScreen } from './conversation-screen.js';

const HOUR = 3_600_000;
const CUSTOMER = '447911123456';
const AGENT = { email: 'olga.agent@example.com', name: 'Olga Agent', password: 'amber-lantern-river-77' };
const HOSTILE = 'Hi! *bold news* <img src=x onerror=alert(1)> _really_';

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pane: ConversationScreen;
let conversationId: string;
let violations: () => Promise<string[]>;
const dialogs: string[] = [];
const shots: string[] = [];

async function customerSends(body: Record<string, unknown>): Promise<string> {
  const res = await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body.wamid as string;
}

async function outboundByText(text: string): Promise<{ id: string; wamid: string | null; status: string }> {
  return eventually(async () => {
    const page = await h.api.get(`/api/v1/conversations/${conversationId}/messages?limit=50`);
    return page.body.items.find((m: { direction: string; content: { body?: string } }) => m.direction === 'out' && m.content.body === text);
  }, { what: `outbound message "${text}"` });
}

/** Parley's clock runs this far ahead of the real one (the sandbox keeps the real clock). */
let clockOffset = 0;
function shiftParleyClock(ms: number): void {
  clockOffset = ms;
}

beforeAll(async () => {
  h = await startHarness({ now: () => Date.now() + clockOffset });
  // A customer who receives at once and reads an hour (of sandbox time) later, and never answers by themselves.
  const put = await fetch(`${h.parley.sandbox!.url}/_sandbox/personas/w2-reader`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      reachable: 1, deliverMs: [0, 0], read: 1, readMs: [HOUR, HOUR], reply: 0, replyMs: [0, 0], replies: ['ok'],
      block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 10,
    }),
  });
  expect(put.status).toBe(200);
  expect((await h.sandbox.patch(`/_sandbox/customers/${CUSTOMER}`, { persona: 'w2-reader' })).status).toBe(200);
  const created = await h.api.post('/api/v1/users', { email: AGENT.email, name: AGENT.name, role: 'admin', password: AGENT.password, locale: 'en' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  violations = await watchCspViolations(page);
  pane = new ConversationScreen(page);
  const signIn = new SignInScreen(page);
  await signIn.open(h.parley.url);
  await signIn.signIn(AGENT.email, AGENT.password);
  await new InboxScreen(page).waitForList();
}, 90_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

describe('the conversation pane', () => {
  it('renders *bold* as bold and keeps a hostile <img onerror> inert; marks the conversation read', async () => {
    await customerSends({ type: 'text', text: HOSTILE });
    conversationId = await eventually(async () => {
      const list = await h.api.get('/api/v1/conversations');
      return list.body.items.find((c: { contact: { waId: string } }) => c.contact.waId === CUSTOMER)?.id as string | undefined;
    }, { what: 'the conversation' });
    await pane.open(h.parley.url, conversationId);
    const bubble = pane.message('bold news', 'in');
    await bubble.waitFor();
    expect(await bubble.locator('strong').textContent()).toBe('bold news');
    expect(await bubble.locator('em').textContent()).toBe('really');
    expect(await bubble.locator('img').count()).toBe(0);
    expect(await bubble.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await pane.windowBadge().textContent()).toMatch(/^window open · (23 h 59|24 h 0) min left$/);
    expect(await pane.header().textContent()).toContain('Olivia Smith');
    // Open, visible and focused: the read receipt goes out.
    await eventually(async () => (await h.api.get(`/api/v1/conversations/${conversationId}`)).body.unreadCount === 0, { what: 'unreadCount 0' });
    expect(dialogs).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a photo, a location and a document arriving live', async () => {
    await customerSends({ type: 'image', caption: 'the _parcel_' });
    await customerSends({ type: 'location', latitude: 51.5007, longitude: -0.1246, name: 'Big Ben', address: 'Westminster, London' });
    await customerSends({ type: 'document', filename: 'invoice-1042.pdf' });
    const image = pane.messages('in').filter({ has: page.locator('img') }).first();
    await image.waitFor();
    await expect.poll(() => image.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await image.locator('img').getAttribute('src')).toMatch(/^\/api\/v1\/media\/[^/]+\/content$/);
    expect(await image.locator('em').textContent()).toBe('parcel');
    const location = pane.message('Big Ben', 'in');
    await location.waitFor();
    expect(await location.getByRole('link').getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=51.5007&mlon=-0.1246#map=16/51.5007/-0.1246');
    const document = pane.message('invoice-1042.pdf', 'in');
    await document.waitFor();
    expect(await document.getByRole('link', { name: 'Download' }).getAttribute('href')).toMatch(/^\/api\/v1\/media\/.+\/content$/);
  });

  it('sends the reply on Enter (Shift+Enter is a new line); ticks go delivered, then read when the customer reads', async () => {
    await pane.textBox().fill('Thanks, *on its way*');
    await pane.textBox().press('Shift+Enter');
    await pane.textBox().type('tomorrow');
    expect(await pane.textBox().inputValue()).toBe('Thanks, *on its way*\ntomorrow');
    expect(await pane.messages('out').count()).toBe(0);
    await pane.textBox().press('Enter');
    const reply = pane.message('on its way', 'out');
    await reply.waitFor();
    expect(await reply.locator('strong').textContent()).toBe('on its way');
    expect(await pane.textBox().inputValue()).toBe('');
    await expect.poll(() => pane.tickOf('on its way'), { timeout: 10_000 }).toBe('delivered');
    expect(await reply.locator('svg[data-tick]').getAttribute('aria-label')).toBe('Delivered');
    // The customer opens the chat an hour later (sandbox time).
    await h.sandbox.post('/_sandbox/clock/advance', { ms: HOUR + 1000 });
    await expect.poll(() => pane.tickOf('on its way'), { timeout: 10_000 }).toBe('read');
  });

  it('shows the customer\'s reaction as a chip and a quoted reply with the quote', async () => {
    const sent = await outboundByText('Thanks, *on its way*\ntomorrow');
    expect(sent.wamid).toBeTruthy();
    await customerSends({ type: 'reaction', messageId: sent.wamid, emoji: '👍' });
    await customerSends({ type: 'text', text: 'Great, see you then', replyTo: sent.wamid });
    const reply = pane.message('on its way', 'out');
    await expect.poll(() => reply.textContent(), { timeout: 10_000 }).toContain('👍');
    const quoted = pane.message('Great, see you then', 'in');
    await quoted.waitFor();
    expect(await quoted.locator('button').first().textContent()).toContain('You');
    expect(await quoted.locator('button').first().textContent()).toContain('on its way');
    // The reaction is a chip, not a bubble of its own.
    expect(await pane.messages('in').filter({ hasText: /^👍/ }).count()).toBe(0);
  });

  it('renders buttons and the customer\'s tap, a voice note, a sticker, a contact card, an ad referral and an unsupported message', async () => {
    const conv = (await h.api.get(`/api/v1/conversations/${conversationId}`)).body;
    const buttons = await h.api.post('/api/v1/messages', {
      contactId: conv.contactId, content: { type: 'buttons', body: 'Which *day* suits you?', buttons: [{ id: 'mon', title: 'Monday' }, { id: 'tue', title: 'Tuesday' }] },
    });
    expect(buttons.status, JSON.stringify(buttons.body)).toBe(202);
    const asked = pane.message('suits you?', 'out');
    await asked.waitFor();
    expect(await asked.locator('strong').textContent()).toBe('day');
    expect(await asked.textContent()).toContain('Tuesday');
    const wamid = await eventually(async () => (await h.api.get(`/api/v1/messages/${buttons.body.id}`)).body.wamid as string | null, { what: 'buttons sent' });
    await customerSends({ type: 'button_reply', messageId: wamid, id: 'tue' });
    await customerSends({ type: 'audio', voice: true });
    await customerSends({ type: 'sticker' });
    await customerSends({ type: 'contacts', contacts: [{ name: { formatted_name: 'Maria Lopez', first_name: 'Maria' }, phones: [{ phone: '+34 600 000 000', type: 'CELL' }] }] });
    await customerSends({ type: 'text', text: 'I saw your ad', referral: { headline: 'Summer sale', body: 'All shoes -30%' } });
    await customerSends({ type: 'unsupported', unsupportedType: 'poll' });

    const tap = pane.message('Tapped the button', 'in');
    await tap.waitFor();
    expect(await tap.textContent()).toContain('Tuesday');
    expect(await tap.locator('button').first().textContent()).toContain('Which day suits you?');
    const voice = pane.messages('in').filter({ has: page.locator('audio') });
    await voice.waitFor();
    expect(await voice.textContent()).toContain('Voice message');
    expect(await voice.locator('audio').getAttribute('src')).toMatch(/^\/api\/v1\/media\/.+\/content$/);
    // The sandbox's placeholder sticker does not decode: the bubble says what it was instead of a broken image.
    const sticker = pane.pane().locator('[data-type="sticker"]');
    await expect.poll(() => sticker.textContent(), { timeout: 10_000 }).toContain('Sticker');
    expect(await sticker.locator('img').count()).toBe(0);
    const card = pane.message('Maria Lopez', 'in');
    await card.waitFor();
    expect(await card.textContent()).toContain('+34 600 000 000');
    const ad = pane.message('I saw your ad', 'in');
    await ad.waitFor();
    expect(await ad.textContent()).toContain('From an ad');
    expect(await ad.textContent()).toContain('Summer sale');
    const poll = pane.message('cannot be shown here', 'in');
    await poll.waitFor();
    expect(await poll.textContent()).toContain('(poll)');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'conversation-types-en'));
  });

  it('keeps the draft across a reload and shows a policy refusal inline, with the reason', async () => {
    await pane.textBox().fill('half a thought');
    await page.reload();
    await pane.textBox().waitFor();
    expect(await pane.textBox().inputValue()).toBe('half a thought');

    const conv = (await h.api.get(`/api/v1/conversations/${conversationId}`)).body;
    expect((await h.api.patch(`/api/v1/contacts/${conv.contactId}`, { blocked: true })).status).toBe(200);
    await pane.send('are you still there?');
    await expect.poll(() => pane.alert().textContent(), { timeout: 10_000 }).toBe('Not sent: the contact is blocked.');
    const denied = pane.message('are you still there?', 'out');
    await denied.waitFor();
    expect(await denied.getAttribute('data-status')).toBe('denied');
    expect(await denied.getByRole('note').textContent()).toContain('the contact is blocked');
    expect(await pane.textBox().inputValue()).toBe('');
    expect((await h.api.patch(`/api/v1/contacts/${conv.contactId}`, { blocked: false })).status).toBe(200);
    shots.push(await screenshot(page, 'conversation-open-en'));
  });

  it('opens on the newest page and loads older messages when scrolled to the top, with day separators', async () => {
    for (let i = 1; i <= 45; i++) await customerSends({ type: 'text', text: `question number ${i}` });
    await h.settleWebhooks();
    await page.reload();
    await pane.message('question number 45', 'in').waitFor();
    expect(await pane.message('bold news', 'in').count()).toBe(0);
    expect(await pane.pane().getByRole('button', { name: 'Load older messages' }).isVisible()).toBe(true);
    expect(await pane.pane().getByRole('separator').first().textContent()).toBe('Today');
    const log = pane.pane().locator('[role="log"]');
    const scrolled = await log.evaluate((el) => { const e = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number }; return e.scrollHeight - e.scrollTop - e.clientHeight; });
    expect(scrolled).toBeLessThan(40);
    // The message at the top of the view, and how far below the list's top edge it is.
    const topMessage = `(el) => { const top = el.getBoundingClientRect().top;
      const row = [...el.querySelectorAll('[data-message-id]')].find((r) => r.getBoundingClientRect().bottom > top);
      return { id: row.dataset.messageId, offset: Math.round(row.getBoundingClientRect().top - top), scrollTop: el.scrollTop }; }`;
    const where = () => log.evaluate(`(${topMessage})(document.querySelector('section[data-conversation-id] [role="log"]'))`) as Promise<{ id: string; offset: number; scrollTop: number }>;
    await log.evaluate((el) => { (el as unknown as { scrollTop: number }).scrollTop = 0; });
    // Where the operator is once the scroll has been handled (two frames: the scroll event, then layout).
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null))))');
    const before = await where();
    await pane.message('bold news', 'in').waitFor();
    await pane.pane().getByText('Start of the conversation').waitFor();
    // The view stays where it was: older messages (and their images, loading later) go above the
    // message that was at the top, which settles where it was on the screen.
    await expect.poll(async () => {
      const now = await where();
      return now.id === before.id ? Math.abs(now.offset - before.offset) : Infinity;
    }, { timeout: 5_000 }).toBeLessThanOrEqual(2);
    expect((await where()).scrollTop).toBeGreaterThan(300);
  });

  it('past 24 h replaces the text box with the template picker and sends a template', async () => {
    await h.sandbox.post('/_sandbox/clock/advance', { ms: 25 * HOUR });
    shiftParleyClock(27 * HOUR);
    await page.reload();
    await pane.windowClosedNotice().waitFor();
    expect(await pane.windowClosedNotice().textContent()).toBe('Window closed — send a WhatsApp template');
    expect(await pane.windowBadge().textContent()).toBe('window closed');
    expect(await pane.textBox().count()).toBe(0);

    expect(await pane.templateSearch().getAttribute('aria-label')).toBe('Search templates by name');
    await pane.templateSearch().fill('order');
    expect(await pane.templateLanguage().getAttribute('aria-label')).toBe('Language');
    await pane.templateLanguage().selectOption('en_US');
    expect(await pane.template('hello_world', 'en_US').count()).toBe(0);
    await pane.template('order_update', 'en_US').click();
    await pane.templateVar('body.1').fill('Olivia');
    expect(await pane.templatePreview().textContent()).toBe('Hi Olivia, your order {{2}} is on its way.');
    const send = page.getByRole('button', { name: 'Send template' });
    expect(await send.isDisabled()).toBe(true);
    await pane.templateVar('body.2').fill('#1042');
    expect(await pane.templatePreview().textContent()).toBe('Hi Olivia, your order #1042 is on its way.');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'conversation-template-en'));
    await send.click();

    const bubble = pane.messages('out').filter({ hasText: 'Template order_update' });
    await bubble.waitFor();
    await expect.poll(() => bubble.textContent(), { timeout: 10_000 }).toContain('Hi Olivia, your order #1042 is on its way.');
    await expect.poll(async () => bubble.locator('svg[data-tick]').getAttribute('data-tick'), { timeout: 10_000 }).toBe('delivered');
    const atSandbox = await h.sandbox.get(`/_sandbox/messages?to=${CUSTOMER}`);
    expect(JSON.stringify(atSandbox.body.data.at(-1))).toContain('order_update');
  });

  it('speaks Russian: the closed window and the picker', async () => {
    const inbox = new InboxScreen(page);
    await inbox.switchLanguage('Русский');
    await expect.poll(() => pane.windowClosedNotice().textContent()).toBe('Окно закрыто — отправьте шаблон WhatsApp');
    expect(await pane.windowBadge().textContent()).toBe('окно закрыто');
    await pane.templateLanguage().selectOption('ru');
    await pane.template('order_update', 'ru').click();
    await pane.templateVar('body.1').fill('Оливия');
    await pane.templateVar('body.2').fill('№1042');
    expect(await pane.templatePreview().textContent()).toBe('Здравствуйте, Оливия! Ваш заказ №1042 уже в пути.');
    expect(await page.getByRole('button', { name: 'Отправить шаблон' }).isEnabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'conversation-template-ru'));
    await inbox.switchLanguage('English');
  });

  it('says so when the conversation does not exist', async () => {
    await page.goto(`${h.parley.url}/inbox/cnv_does_not_exist`);
    await pane.pane().getByText('Conversation not found').waitFor();
    expect(await pane.pane().textContent()).toContain('It may have been deleted');
  });

  it('ran with no alert and no CSP violation', async () => {
    expect(dialogs).toEqual([]);
    expect(await violations()).toEqual([]);
  });
});
