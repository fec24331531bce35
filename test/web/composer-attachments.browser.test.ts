// The composer in headless chromium against a real Parley + sandbox (SQLite): a photo uploaded with a
// preview and caption and sent (the sandbox holds the media id it was sent with), a wrong-type and a
// too-large file refused before upload (and by the server too), a voice note recorded from chromium's
// fake microphone (WebM repacked as OGG/Opus) sent as a voice audio, a reply carrying context.message_id,
// a reaction from the bubble's picker, an emoji inserted at the caret. ru/en screenshots, axe-core.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs } from '../helpers/browser.js';
import { CHROMIUM_PATH } from '../helpers/test-env.js';
import { SANDBOX_TOKEN, eventually, startHarness, type Harness } from '../parley/harness.js';
import { InboxScreen, SignInScreen, screenshot, seriousViolations } from './app-pages.js';
import { ConversationScreen } from './conversation-screen.js';

const CUSTOMER = '447911123456';
const AGENT = { email: 'ada.composer@example.com', name: 'Ada Composer', password: 'copper-kettle-meadow-42' };
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const BIG_PNG = Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024 - PNG.length)]);
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

let h: Harness;
let browser: Browser;
let page: Page;
let pane: ConversationScreen;
let conversationId: string;
const shots: string[] = [];

interface SandboxOutbound { wamid: string; type: string; request: Record<string, any> }

async function sandboxOutbound(): Promise<SandboxOutbound[]> {
  return (await h.sandbox.get(`/_sandbox/messages?to=${CUSTOMER}`)).body.data as SandboxOutbound[];
}
async function lastAtSandbox(type: string, count: number): Promise<SandboxOutbound> {
  return eventually(async () => {
    const sent = (await sandboxOutbound()).filter((m) => m.type === type);
    return sent.length >= count ? sent[count - 1] : undefined;
  }, { what: `${type} message #${count} at the sandbox` });
}
/** What the sandbox (Meta) knows about a media id: its info through the Graph API. */
async function graphMedia(mediaId: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.parley.sandbox!.url}/v21.0/${mediaId}`, { headers: { authorization: `Bearer ${SANDBOX_TOKEN}` } });
  return { status: res.status, body: await res.json() };
}
async function apiUpload(bytes: Buffer, type: string, filename: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), filename);
  const res = await fetch(`${h.parley.url}/api/v1/media`, { method: 'POST', body: form, headers: { authorization: `Bearer ${h.parley.demo!.apiKey}` } });
  return { status: res.status, body: await res.json() };
}
const composer = () => pane.pane().locator('form');

beforeAll(async () => {
  h = await startHarness({});
  const created = await h.api.post('/api/v1/users', { email: AGENT.email, name: AGENT.name, role: 'admin', password: AGENT.password, locale: 'en' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const res = await h.sandbox.post(`/_sandbox/customers/${CUSTOMER}/messages`, { type: 'text', text: 'Can you send me the photo?' });
  expect(res.status).toBeLessThan(300);
  conversationId = await eventually(async () => {
    const list = await h.api.get('/api/v1/conversations');
    return list.body.items.find((c: { contact: { waId: string } }) => c.contact.waId === CUSTOMER)?.id as string | undefined;
  }, { what: 'the conversation' });
  // chromium's fake microphone (a beep) and no permission prompt: only this file's browser.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...chromiumArgs(), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', permissions: ['microphone'] });
  page = await context.newPage();
  pane = new ConversationScreen(page);
  const signIn = new SignInScreen(page);
  await signIn.open(h.parley.url);
  await signIn.signIn(AGENT.email, AGENT.password);
  await new InboxScreen(page).waitForList();
  await pane.open(h.parley.url, conversationId);
  await pane.message('Can you send me the photo?', 'in').waitFor();
}, 90_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

describe('the composer', () => {
  it('refuses a GIF and a 6 MB PNG before uploading, in plain words; the server refuses them too', async () => {
    const uploads: string[] = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/v1/media') && r.method() === 'POST') uploads.push(r.url()); });
    const input = composer().locator('input[type="file"]');
    await input.setInputFiles({ name: 'funny.gif', mimeType: 'image/gif', buffer: GIF });
    await expect.poll(() => pane.pane().getByTestId('file-problem').textContent()).toContain('WhatsApp does not accept “funny.gif” (image/gif)');
    await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: BIG_PNG });
    await expect.poll(() => pane.pane().getByTestId('file-problem').textContent())
      .toBe('“huge.png” is 6.0 MB; WhatsApp takes at most 5.0 MB for this type (Photo). Send a smaller file, or a link to it.');
    expect(await pane.pane().getByTestId('attachment').count()).toBe(0);
    expect(uploads).toEqual([]);
    // The same files straight at the API: refused with a 4xx, not stored.
    const gif = await apiUpload(GIF, 'image/gif', 'funny.gif');
    expect(gif.status, JSON.stringify(gif.body)).toBe(415);
    expect(gif.body.error.message).toContain('image/gif');
    const big = await apiUpload(BIG_PNG, 'image/png', 'huge.png');
    expect(big.status, JSON.stringify(big.body)).toBeGreaterThanOrEqual(400);
    expect(big.status).toBeLessThan(500);
  });

  it('uploads a photo with progress and a preview, sends it with a caption, and Meta gets a media id it knows', async () => {
    await composer().locator('input[type="file"]').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: PNG });
    const card = pane.pane().getByTestId('attachment');
    await expect.poll(() => card.getAttribute('data-upload'), { timeout: 10_000 }).toBe('done');
    expect(await pane.pane().getByTestId('file-problem').count()).toBe(0);
    expect(await card.locator('img').getAttribute('src')).toMatch(/^blob:/);
    await card.getByRole('textbox', { name: 'Add a caption (optional)' }).fill('Your *parcel*');
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'composer-attachment-en'));
    await composer().getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => card.count()).toBe(0);
    const sent = await lastAtSandbox('image', 1);
    expect(sent.request.image.caption).toBe('Your *parcel*');
    const info = await graphMedia(sent.request.image.id);
    expect(info.status, JSON.stringify(info.body)).toBe(200);
    expect(info.body.mime_type).toBe('image/png');
    const bubble = pane.messages('out').filter({ has: page.locator('img') });
    await bubble.waitFor();
    expect(await bubble.locator('em, strong').first().textContent()).toBe('parcel');
  });

  it('records a voice note from the fake microphone and the sandbox receives an OGG voice audio', async () => {
    await composer().getByRole('button', { name: 'Record a voice note' }).click();
    const timer = pane.pane().getByTestId('voice-timer');
    await expect.poll(() => timer.textContent(), { timeout: 10_000 }).toBe('0:01');
    await composer().getByRole('button', { name: 'Stop' }).click();
    const card = pane.pane().getByTestId('attachment');
    await expect.poll(() => card.getAttribute('data-upload'), { timeout: 10_000 }).toBe('done');
    expect(await card.textContent()).toContain('Voice note');
    expect(await pane.pane().getByTestId('attachment-note').textContent()).toContain('repacked as OGG/Opus');
    await composer().getByRole('button', { name: 'Send', exact: true }).click();
    const sent = await lastAtSandbox('audio', 1);
    expect(sent.request.audio.voice).toBe(true);
    const info = await graphMedia(sent.request.audio.id);
    expect(info.body.mime_type).toBe('audio/ogg');
    // The repacked file decodes: chromium plays it back with the length that was recorded.
    const stored = await eventually(async () => {
      const msgs = (await h.api.get(`/api/v1/conversations/${conversationId}/messages?limit=50`)).body.items as Array<{ type: string; mediaId: string | null; content: { mediaId?: string } }>;
      return msgs.find((m) => m.type === 'audio');
    }, { what: 'the audio message' });
    const url = `/api/v1/media/${stored.content.mediaId ?? stored.mediaId}/content`;
    const seconds = await page.evaluate(`fetch(${JSON.stringify(url)}).then((r) => r.arrayBuffer()).then((b) => new AudioContext().decodeAudioData(b)).then((a) => a.duration)`) as number;
    expect(seconds).toBeGreaterThan(0.8);
    expect(seconds).toBeLessThan(4);
  });

  it('replies to the customer\'s message: the quote shows above the box and Meta gets context.message_id', async () => {
    const question = pane.message('Can you send me the photo?', 'in');
    const wamid = (await h.api.get(`/api/v1/conversations/${conversationId}/messages?limit=50`)).body.items
      .find((m: { direction: string; content: { body?: string } }) => m.direction === 'in' && m.content.body === 'Can you send me the photo?').wamid as string;
    // Keyboard: focus the Reply action of the bubble and press Enter.
    await question.getByRole('button', { name: 'Reply' }).focus();
    await page.keyboard.press('Enter');
    const quote = pane.pane().getByTestId('reply-quote');
    await expect.poll(() => quote.textContent()).toContain('Can you send me the photo?');
    expect(await quote.textContent()).toContain('Replying to Customer');
    await pane.send('Here it is 👆');
    await expect.poll(() => quote.count()).toBe(0);
    const sent = await lastAtSandbox('text', 1);
    expect(sent.request.text.body).toBe('Here it is 👆');
    expect(sent.request.context.message_id).toBe(wamid);
  });

  it('reacts to a message from its picker and removes the reaction', async () => {
    const question = pane.message('Can you send me the photo?', 'in');
    await question.hover();
    await question.getByRole('button', { name: 'React' }).click();
    const picker = pane.pane().getByTestId('reaction-picker');
    await picker.waitFor();
    expect(await picker.getByRole('button').count()).toBe(6);
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'composer-reactions-en'));
    await picker.getByRole('button', { name: 'React with ❤️' }).click();
    const reaction = await lastAtSandbox('reaction', 1);
    expect(reaction.request.reaction.emoji).toBe('❤️');
    const wamid = (await h.api.get(`/api/v1/conversations/${conversationId}/messages?limit=50`)).body.items
      .find((m: { direction: string; content: { body?: string } }) => m.direction === 'in' && m.content.body === 'Can you send me the photo?').wamid as string;
    expect(reaction.request.reaction.message_id).toBe(wamid);
    await expect.poll(() => question.textContent(), { timeout: 10_000 }).toContain('❤️');
    await question.hover();
    await question.getByRole('button', { name: 'React' }).click();
    await picker.getByRole('button', { name: 'Remove my reaction' }).click();
    const removed = await lastAtSandbox('reaction', 2);
    expect(removed.request.reaction.emoji).toBe('');
  });

  it('inserts an emoji at the caret', async () => {
    await pane.textBox().fill('See you ');
    await pane.textBox().press('End');
    await pane.textBox().press('ArrowLeft');
    await pane.textBox().press('ArrowLeft');
    await pane.textBox().press('ArrowLeft');
    await pane.textBox().press('ArrowLeft');
    await composer().getByRole('button', { name: 'Emoji' }).click();
    await pane.pane().getByTestId('emoji-picker').getByRole('button', { name: '👋' }).click();
    expect(await pane.textBox().inputValue()).toBe('See 👋you ');
    await pane.textBox().fill('');
  });

  it('speaks Russian: the attachment preview and the reaction picker', async () => {
    await new InboxScreen(page).switchLanguage('Русский');
    await composer().locator('input[type="file"]').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: BIG_PNG });
    await expect.poll(() => pane.pane().getByTestId('file-problem').textContent()).toContain('WhatsApp принимает не больше 5.0 MB');
    await composer().locator('input[type="file"]').setInputFiles({ name: 'накладная.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    const card = pane.pane().getByTestId('attachment');
    await expect.poll(() => card.getAttribute('data-upload'), { timeout: 10_000 }).toBe('done');
    expect(await card.textContent()).toContain('Документ');
    shots.push(await screenshot(page, 'composer-attachment-ru'));
    await card.getByRole('button', { name: 'Убрать вложение' }).click();
    const question = pane.message('Can you send me the photo?', 'in');
    await question.hover();
    await question.getByRole('button', { name: 'Реакция' }).click();
    await pane.pane().getByTestId('reaction-picker').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    shots.push(await screenshot(page, 'composer-reactions-ru'));
  });
});
