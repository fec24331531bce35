// Business hours in headless chromium against a real Parley (SQLite), in Russian: an admin turns on
// "count only business hours" in Settings → Response times, picks the zone, opens Saturday 10:00–14:00,
// shortens Friday to 17:00, adds a holiday — a backwards interval and overlapping ones are named before saving — saves, reloads
// and sees it all again, and the API holds the same. Screenshots in ru and en.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { signInAs } from '../helpers/sign-in.js';
import { startHarness, type Harness } from '../parley/harness.js';
import { SCREENSHOT_DIR, seriousViolations, signedInPage } from './app-pages.js';

let h: Harness;
let browser: Browser;
const shots: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  if (shots.length) process.stdout.write(`screenshots:\n${shots.join('\n')}\n`);
  await browser?.close();
  await h?.close();
});

async function fullShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // The settings page scrolls inside its content pane: a tall viewport shows the whole form.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 1700 });
  await page.screenshot({ path });
  if (size) await page.setViewportSize(size);
  shots.push(path);
}

describe('SLA business hours in the browser', () => {
  it('sets the hours in Russian, saves, and sees them after a reload', async () => {
    const admin = await signInAs(h, 'admin', { name: 'Анна Админ' });
    const { page, violations } = await signedInPage(browser, h.parley.url, admin, 'ru');
    await page.goto(`${h.parley.url}/settings/sla`);
    const hours = page.getByTestId('business-hours');
    await page.getByRole('heading', { name: 'Рабочие часы' }).waitFor();
    await page.getByText('на сообщение, пришедшее в пятницу в 20:00, нужно ответить в понедельник утром').waitFor();
    expect(await hours.count()).toBe(0);

    await page.getByLabel('Считать только рабочие часы').check();
    await hours.waitFor();
    await hours.getByLabel('Часовой пояс', { exact: true }).selectOption('Asia/Yekaterinburg');
    await hours.getByLabel('Суббота: выходной', { exact: true }).uncheck();
    await hours.getByLabel('Суббота: с', { exact: true }).fill('10:00');
    await hours.getByLabel('Суббота: до', { exact: true }).fill('14:00');
    await hours.getByLabel('Пятница: до', { exact: true }).fill('17:00');
    await hours.getByRole('button', { name: 'Добавить праздник' }).click();
    await hours.getByLabel('Праздник 1', { exact: true }).fill('2026-12-31');

    // A backwards interval is named in Russian before anything is sent.
    await hours.getByLabel('Понедельник: до', { exact: true }).fill('08:00');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Понедельник: интервал 09:00–08:00 заканчивается раньше, чем начинается.', { exact: false }).waitFor();
    expect(await hours.getByLabel('Понедельник: до', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await fullShot(page, 'sla-business-hours-error-ru');
    expect((await h.api.get('/api/v1/sla')).body.default.businessHoursOnly).toBe(false);
    await hours.getByLabel('Понедельник: до', { exact: true }).fill('18:00');

    // So are overlapping intervals — in Russian, with the day highlighted, and nothing is sent.
    await hours.getByRole('button', { name: 'Среда: ещё интервал' }).click();
    await hours.getByLabel('Среда, интервал 2: с', { exact: true }).fill('13:00');
    await hours.getByLabel('Среда, интервал 2: до', { exact: true }).fill('20:00');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Среда: интервалы 09:00–18:00 и 13:00–20:00 пересекаются.', { exact: false }).waitFor();
    expect(await hours.getByLabel('Среда, интервал 1: до', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await hours.getByLabel('Среда, интервал 2: с', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await hours.getByLabel('Понедельник: до', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    expect(await hours.locator('tr[data-day="wed"]').getAttribute('class')).toBeTruthy();
    await fullShot(page, 'sla-business-hours-overlap-ru');
    expect((await h.api.get('/api/v1/sla')).body.default.businessHoursOnly).toBe(false);
    await hours.getByRole('button', { name: 'Среда: убрать интервал 2' }).click();

    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const stored = (await h.api.get('/api/v1/sla')).body;
    expect(stored.default.businessHoursOnly).toBe(true);
    expect(stored.businessHours).toEqual({
      timeZone: 'Asia/Yekaterinburg', holidays: ['2026-12-31'],
      week: {
        mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }], wed: [{ from: '09:00', to: '18:00' }],
        thu: [{ from: '09:00', to: '18:00' }], fri: [{ from: '09:00', to: '17:00' }], sat: [{ from: '10:00', to: '14:00' }], sun: [],
      },
    });

    await page.reload();
    await hours.waitFor();
    expect(await page.getByLabel('Считать только рабочие часы').isChecked()).toBe(true);
    expect(await hours.getByLabel('Часовой пояс', { exact: true }).inputValue()).toBe('Asia/Yekaterinburg');
    expect(await hours.getByLabel('Суббота: выходной', { exact: true }).isChecked()).toBe(false);
    expect(await hours.getByLabel('Суббота: с', { exact: true }).inputValue()).toBe('10:00');
    expect(await hours.getByLabel('Суббота: до', { exact: true }).inputValue()).toBe('14:00');
    expect(await hours.getByLabel('Пятница: до', { exact: true }).inputValue()).toBe('17:00');
    expect(await hours.getByLabel('Воскресенье: выходной', { exact: true }).isChecked()).toBe(true);
    expect(await hours.getByLabel('Праздник 1', { exact: true }).inputValue()).toBe('2026-12-31');
    await fullShot(page, 'sla-business-hours-ru');
    expect(await violations()).toEqual([]);

    const en = await signedInPage(browser, h.parley.url, await signInAs(h, 'admin', { name: 'Alex Admin' }), 'en');
    await en.page.goto(`${h.parley.url}/settings/sla`);
    await en.page.getByTestId('business-hours').getByLabel('Saturday: from', { exact: true }).waitFor();
    expect(await en.page.getByTestId('business-hours').getByLabel('Saturday: from', { exact: true }).inputValue()).toBe('10:00');
    await fullShot(en.page, 'sla-business-hours-en');
    expect(await en.violations()).toEqual([]);
  });
});
