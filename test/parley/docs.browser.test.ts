// Parley's pages in a real browser under their Content-Security-Policy (issue 12, item 6): the API
// docs (swagger-ui) render their operations and the root page shows, with no CSP violation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, watchCspViolations } from '../helpers/browser.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('pages under the CSP', () => {
  it('the API docs render every operation, with no CSP violation', async () => {
    const page = await browser.newPage();
    const violations = await watchCspViolations(page);
    await page.goto(`${h.parley.url}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('the root page links to the docs, with no CSP violation', async () => {
    const page = await browser.newPage({ locale: 'ru-RU' });
    const violations = await watchCspViolations(page);
    await page.goto(`${h.parley.url}/about`);
    await page.getByRole('link', { name: 'Документация API (OpenAPI)' }).click();
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
