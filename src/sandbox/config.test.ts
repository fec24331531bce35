import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSandboxConfig } from './config.js';

describe('loadSandboxConfig', () => {
  it('has working defaults', () => {
    const c = loadSandboxConfig({});
    expect(c).toMatchObject({ port: 4010, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:4010', clockScale: 1 });
    expect(c.options).toMatchObject({ seed: 42, throttleHttpStatus: 400, chaosDuplicateRate: 0, chaosReorder: false });
    expect(c.seed).toBeUndefined();
    expect(c.stateFile).toBeUndefined();
    expect(c.resetState).toBe(false);
  });

  it('keeps the state in SANDBOX_STATE_FILE and discards it with SANDBOX_RESET', () => {
    expect(loadSandboxConfig({ SANDBOX_STATE_FILE: 'data/sandbox.db', SANDBOX_RESET: 'true' })).toMatchObject({ stateFile: 'data/sandbox.db', resetState: true });
    expect(loadSandboxConfig({ SANDBOX_RESET: '0' }).resetState).toBe(false);
    expect(() => loadSandboxConfig({ SANDBOX_RESET: 'yes please' })).toThrow(/SANDBOX_RESET must be true or false/);
  });

  it('reads every variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-config-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ customers: [{ waId: '15550001234' }] }));
    const c = loadSandboxConfig({
      SANDBOX_PORT: '5000', SANDBOX_HOST: '0.0.0.0', SANDBOX_SEED: '7', SANDBOX_SEED_FILE: file,
      SANDBOX_CALLBACK_URL: 'http://localhost:3000/webhooks/whatsapp', SANDBOX_THROTTLE_HTTP_STATUS: '429',
      SANDBOX_PUBLIC_URL: 'https://sandbox.example.com/', SANDBOX_CHAOS_REORDER: 'true', SANDBOX_CLOCK_SCALE: '60',
    });
    expect(c).toMatchObject({
      port: 5000, host: '0.0.0.0', publicUrl: 'https://sandbox.example.com', callbackUrl: 'http://localhost:3000/webhooks/whatsapp',
      clockScale: 60, seed: { customers: [{ waId: '15550001234' }] },
    });
    expect(c.options).toMatchObject({ seed: 7, throttleHttpStatus: 429, chaosReorder: true, publicBaseUrl: 'https://sandbox.example.com' });
  });

  it.each([
    [{ SANDBOX_PORT: 'abc' }, /SANDBOX_PORT/],
    [{ SANDBOX_PORT: '70000' }, /SANDBOX_PORT/],
    [{ SANDBOX_THROTTLE_HTTP_STATUS: '200' }, /SANDBOX_THROTTLE_HTTP_STATUS/],
    [{ SANDBOX_CALLBACK_URL: 'ftp://x' }, /SANDBOX_CALLBACK_URL/],
    [{ SANDBOX_SEED: '-1' }, /SANDBOX_SEED/],
    [{ SANDBOX_CHAOS_DUPLICATE_RATE: '2' }, /SANDBOX_CHAOS_DUPLICATE_RATE/],
    [{ SANDBOX_SEED_FILE: '/nonexistent/seed.json' }, /SANDBOX_SEED_FILE cannot be read/],
  ])('rejects %o naming the key', (env, message) => {
    expect(() => loadSandboxConfig(env)).toThrow(message);
  });
});
