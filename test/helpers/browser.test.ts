import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumArgs } from './browser.js';

describe('chromiumArgs', () => {
  it('adds --no-sandbox as root, where chromium will not start without it', () => {
    expect(chromiumArgs(0)).toEqual([...CHROMIUM_ARGS, '--no-sandbox']);
  });

  it('keeps the sandbox for any other user', () => {
    expect(chromiumArgs(1000)).toEqual([...CHROMIUM_ARGS]);
    expect(chromiumArgs(1000)).not.toContain('--no-sandbox');
  });

  it('runs headless, offline and quiet', () => {
    for (const flag of ['--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']) {
      expect(CHROMIUM_ARGS).toContain(flag);
    }
  });
});
