// `npm run admin` against a fresh SQLite file and a fresh PostgreSQL schema: migrating an empty
// database, the key race and the piped password run as real child processes; the table of input
// mistakes runs in-process through runAdmin (a child costs seconds) — output, exit codes
// (0 ok, 2 usage/invalid input, 1 refused) and stored rows.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, openTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { findApiKey } from '../../src/store/queries/api-keys.js';
import { findUserByEmail } from '../../src/store/queries/users.js';
import { verifyPassword } from '../../src/services/passwords.js';
import { runAdmin } from '../../src/admin-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'tram-lantern-49-violet';

interface Run { code: number | null; stdout: string; stderr: string }

/** `node --import tsx src/admin.ts …args` with DATABASE_URL set and `input` (if any) on stdin. */
function admin(url: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: url, PARLEY_ADMIN_PASSWORD: '', ...opts.env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/admin.ts', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const json = <T = any>(run: Run): T => JSON.parse(run.stdout) as T;

/** The same command in this process: output captured, password given (undefined = none typed). */
async function adminHere(url: string, args: string[], password?: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(args, {
    env: { DATABASE_URL: url }, out: (text) => { stdout += `${text}\n`; }, err: (text) => { stderr += `${text}\n`; },
    password: async () => password, exit: () => undefined,
  });
  return { code, stdout, stderr };
}

for (const kind of DATABASES) {
  describe(`npm run admin [${kind}]`, () => {
    let t: TestDatabase;
    let workspaceId: string;
    let firstKeyId: string;
    beforeAll(async () => { t = await openTestDatabase(kind, { migrate: false, label: 'admin_cli' }); });
    afterAll(async () => { await t?.dispose(); });

    it('migrates an empty database and creates a workspace with a working first key', async () => {
      const run = await admin(t.url, ['create-workspace', '--name', 'Acme', '--timezone', 'Europe/Madrid', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/applied 0001_initial.*0013_users/);
      const out = json(run);
      expect(out.workspace).toMatchObject({ name: 'Acme', timezone: 'Europe/Madrid' });
      expect(out.key).toMatch(/^pk_/);
      workspaceId = out.workspace.id;
      firstKeyId = out.apiKey.id;
      expect((await findApiKey(t.database.db, out.key))?.workspaceId).toBe(workspaceId);
      const listed = await adminHere(t.url, ['list-workspaces']);
      expect([listed.code, listed.stdout]).toEqual([0, expect.stringContaining(`${workspaceId}  Acme  (Europe/Madrid)`)]);
    });

    it('answers 2 with what to fix for usage mistakes and invalid input', async () => {
      const cases: Array<[string[], RegExp]> = [
        [[], /Usage: npm run admin/],
        [['fly'], /unknown command "fly"/],
        [['create-workspace'], /--name is required/],
        [['create-workspace', '--name', 'X', '--timezone', 'Mars/Olympus'], /not an IANA time zone/],
        [['create-key', '--workspace', 'ws_nope'], /no workspace ws_nope/],
        [['list-keys', '--wrkspace', 'x'], /Unknown option '--wrkspace'/],
        [['revoke-key', '--workspace', workspaceId, '--key', 'key_nope'], /no live API key key_nope/],
      ];
      for (const [args, message] of cases) {
        const run = await adminHere(t.url, args);
        expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
        expect(run.stderr).toMatch(message);
      }
      expect((await adminHere(t.url, ['--help'])).code).toBe(0);
      const child = await admin(t.url, ['create-key', '--workspace', 'ws_nope']);
      expect([child.code, child.stderr]).toEqual([2, expect.stringMatching(/no workspace ws_nope/)]);
    });

    it('creates, lists and revokes keys, refusing the last live one (exit 1)', async () => {
      const refused = await adminHere(t.url, ['revoke-key', '--workspace', workspaceId, '--key', firstKeyId]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/last live API key.*create another/);
      const created = await adminHere(t.url, ['create-key', '--workspace', workspaceId, '--name', 'ci']);
      expect(created.code).toBe(0);
      const key = /^(pk_\S+)$/m.exec(created.stdout)?.[1] ?? '';
      expect(await findApiKey(t.database.db, key)).toBeDefined();
      expect((await adminHere(t.url, ['revoke-key', '--workspace', workspaceId, '--key', firstKeyId])).code).toBe(0);
      const list = json(await adminHere(t.url, ['list-keys', '--workspace', workspaceId, '--json']));
      expect(list.items.map((k: { name: string; revokedAt: number | null }) => [k.name, k.revokedAt === null])).toEqual([['admin', false], ['ci', true]]);
      expect(JSON.stringify(list)).not.toContain(key);
    });

    it('two processes revoking the last two keys at once: exactly one succeeds', async () => {
      const ws = json(await adminHere(t.url, ['create-workspace', '--name', 'Race', '--json']));
      const second = json(await adminHere(t.url, ['create-key', '--workspace', ws.workspace.id, '--json']));
      const runs = await Promise.all([ws.apiKey.id, second.apiKey.id].map((id: string) =>
        admin(t.url, ['revoke-key', '--workspace', ws.workspace.id, '--key', id])));
      expect(runs.map((r) => r.code).sort(), runs.map((r) => r.stderr).join('\n')).toEqual([0, 1]);
      const live = await t.database.db.selectFrom('api_keys').select('id').where('workspace_id', '=', ws.workspace.id).where('revoked_at', 'is', null).execute();
      expect(live).toHaveLength(1);
    });

    it('creates the first operator from a piped password, stored as a scrypt hash', async () => {
      const run = await admin(t.url, ['create-user', '--workspace', workspaceId, '--email', ' Ann.Owner@Example.COM ', '--name', 'Ann', '--json'], { input: `${PASSWORD}\n` });
      expect(run.code, run.stderr).toBe(0);
      expect(json(run).user).toMatchObject({ email: 'ann.owner@example.com', role: 'owner', name: 'Ann' });
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      const user = await findUserByEmail(t.database.db, workspaceId, 'ANN.OWNER@example.com');
      expect(user?.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      expect(await verifyPassword(PASSWORD, user!.passwordHash)).toBe(true);
      expect(await verifyPassword(`${PASSWORD}x`, user!.passwordHash)).toBe(false);
    });

    it('reads PARLEY_ADMIN_PASSWORD, refuses weak passwords, bad e-mails, roles and a taken e-mail', async () => {
      const base = ['create-user', '--workspace', workspaceId, '--name', 'Bob'];
      const viaEnv = await admin(t.url, [...base, '--email', 'bob@example.com', '--role', 'agent'], { env: { PARLEY_ADMIN_PASSWORD: PASSWORD } });
      expect(viaEnv.code, viaEnv.stderr).toBe(0);
      expect((await findUserByEmail(t.database.db, workspaceId, 'bob@example.com'))?.role).toBe('agent');
      const cases: Array<[string[], string | undefined, RegExp]> = [
        [['--email', 'carol@example.com'], 'short1', /too short: use at least 12/],
        [['--email', 'carol@example.com'], '123456789012', /plain sequence/],
        [['--email', 'carol@example.com'], 'aaaaaaaaaaaaaaaa', /at least 4 different/],
        [['--email', 'carol@example.com'], 'Password2024!', /common word/],
        [['--email', 'carol.jones@example.com'], 'x-carol.jones-x-77', /contains the e-mail/],
        [['--email', 'carol@example.com'], undefined, /no password given/],
        [['--email', 'not-an-email'], PASSWORD, /not an e-mail address/],
        [['--email', 'carol@example.com', '--role', 'god'], PASSWORD, /--role: expected one of owner, admin, supervisor, agent/],
      ];
      for (const [extra, password, message] of cases) {
        const run = await adminHere(t.url, [...base, ...extra], password);
        expect([extra.join(' '), password, run.code]).toEqual([extra.join(' '), password, 2]);
        expect(run.stderr).toMatch(message);
      }
      const taken = await adminHere(t.url, [...base, '--email', 'BOB@example.com'], PASSWORD);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toMatch(/already has a user bob@example.com/);
      expect(await findUserByEmail(t.database.db, workspaceId, 'carol@example.com')).toBeUndefined();
    });
  });
}
