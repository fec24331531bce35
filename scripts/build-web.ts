// Builds the web app (web/ → web/dist) with Vite, only when its sources changed since the last
// build (a content hash kept in web/dist). Run before `npm start` (prestart) and by the tests.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));
export const DIST_DIR = join(WEB_DIR, 'dist');
const HASH_FILE = '.source-hash';
const SKIP = new Set(['dist', 'node_modules']);

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('dist.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await sourceFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** A hash of every file under web/ (names and bytes) except the build output. */
export async function webSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await sourceFiles(WEB_DIR)) {
    hash.update(relative(WEB_DIR, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

export interface BuildResult { built: boolean; ms: number }

/**
 * Builds into a fresh directory and swaps it in, so a server (or a second build running at the
 * same time) never sees a half-written web/dist.
 */
export async function ensureWebBuilt(opts: { force?: boolean } = {}): Promise<BuildResult> {
  const started = Date.now();
  const hash = await webSourceHash();
  const current = await readFile(join(DIST_DIR, HASH_FILE), 'utf8').catch(() => '');
  if (!opts.force && current === hash && existsSync(join(DIST_DIR, 'index.html'))) return { built: false, ms: Date.now() - started };

  const { build } = await import('vite');
  const tmp = join(WEB_DIR, `dist.${process.pid}.${Date.now()}`);
  // Under Vitest NODE_ENV is 'test', which would bundle React's development build (twice the size).
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, mode: 'production', build: { outDir: tmp, emptyOutDir: true }, logLevel: 'warn' });
    await writeFile(join(tmp, HASH_FILE), hash);
    const old = `${DIST_DIR}.old.${process.pid}.${Date.now()}`;
    if (existsSync(DIST_DIR)) await rename(DIST_DIR, old);
    await rename(tmp, DIST_DIR);
    await rm(old, { recursive: true, force: true });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
    await rm(tmp, { recursive: true, force: true });
  }
  return { built: true, ms: Date.now() - started };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await ensureWebBuilt({ force: process.argv.includes('--force') });
  process.stdout.write(result.built ? `web app built in ${result.ms} ms\n` : `web app is up to date (${result.ms} ms)\n`);
}
