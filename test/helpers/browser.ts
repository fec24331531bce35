// Headless chromium for every browser test: the binary from CHROMIUM_PATH, and flags that keep it
// quiet and offline. As root (containers, CI) chromium refuses to start without --no-sandbox.

import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './test-env.js';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The launch flags for this process: CHROMIUM_ARGS, plus --no-sandbox when running as root. */
export function chromiumArgs(uid: number | undefined = process.getuid?.()): string[] {
  return uid === 0 ? [...CHROMIUM_ARGS, '--no-sandbox'] : [...CHROMIUM_ARGS];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs() });
}

/**
 * Records the page's Content-Security-Policy violations (from before its first script runs);
 * the returned function reads them, e.g. `expect(await violations()).toEqual([])`.
 */
export async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  // Source text, not a function: the tests are compiled without the DOM's types.
  await page.addInitScript({
    content: `window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => { window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI); });`,
  });
  return () => page.evaluate('window.cspViolations || []') as Promise<string[]>;
}
