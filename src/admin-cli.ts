// The commands of `npm run admin -- <command>` (entry: admin.ts): first setup and recovery without
// the REST API — workspaces, API keys, the first operator account. Migrates DATABASE_URL first.
// Exit codes: 0 ok, 2 usage or invalid input, 1 refused by the database's state or failed.

import { parseArgs } from 'node:util';
import { ConfigError, adminPasswordFromEnv, loadConfig } from './config.js';
import { emailProblem, isUserRole, passwordProblem, USER_ROLES, type UserRole } from './core/users.js';
import { readPassword } from './admin-password.js';
import { hashPassword } from './services/passwords.js';
import { openDatabase, type Db } from './store/db.js';
import { redactUrl } from './store/database-url.js';
import { migrateToLatest } from './store/migrate.js';
import { createApiKey, listApiKeys, revokeApiKey } from './store/queries/api-keys.js';
import { createUser, isUniqueViolation } from './store/queries/users.js';
import { createWorkspace, getWorkspace, listWorkspaces } from './store/queries/workspaces.js';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-workspace --name <name> [--timezone <IANA zone>] [--key-name <name>]
                       a workspace and its first API key (the key is printed once)
  list-workspaces
  create-key   --workspace <id> [--name <name>]      a new API key, printed once
  list-keys    --workspace <id>
  revoke-key   --workspace <id> --key <key id>       refused for the workspace's last live key
  create-user  --workspace <id> --email <e-mail> --name <name> [--role ${USER_ROLES.join('|')}]
                       an operator account (role owner by default); the password is read from
                       PARLEY_ADMIN_PASSWORD, else asked on the terminal (not echoed), else one line of stdin

Options: --json (machine-readable output), --help
The database is DATABASE_URL (default sqlite:./data/parley.db); pending migrations run first.
Exit codes: 0 ok, 2 usage or invalid input, 1 refused or failed.`;

const OPTIONS = {
  name: { type: 'string' }, timezone: { type: 'string' }, 'key-name': { type: 'string' },
  workspace: { type: 'string' }, key: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' },
  json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

/** Bad invocation or input: exit 2. */
class UsageError extends Error {}
/** Refused by the current state (last key, taken e-mail): exit 1. */
class Refused extends Error {}

interface Context { db: Db; values: Values; print(human: string, json: unknown): void; now: number; password(): Promise<string | undefined> }

const COMMANDS: Record<string, (ctx: Context) => Promise<void>> = {
  'create-workspace': createWorkspaceCommand,
  'list-workspaces': async (ctx) => {
    const items = await listWorkspaces(ctx.db);
    ctx.print(items.map((w) => `${w.id}  ${w.name}  (${w.timezone})`).join('\n') || 'no workspaces', { items });
  },
  'create-key': async (ctx) => {
    const workspace = await existingWorkspace(ctx);
    const { record, key } = await createApiKey(ctx.db, workspace.id, { name: nameOf(ctx.values.name ?? 'admin', '--name'), now: ctx.now });
    ctx.print(`Created API key ${record.id} "${record.name}" in workspace ${workspace.id}. It is shown only now:\n${key}`, { apiKey: record, key });
  },
  'list-keys': async (ctx) => {
    const workspace = await existingWorkspace(ctx);
    const items = await listApiKeys(ctx.db, workspace.id);
    const line = (k: (typeof items)[number]): string =>
      `${k.id}  pk_${k.prefix}_…  ${k.name}  ${k.revokedAt === null ? 'live' : `revoked ${new Date(k.revokedAt).toISOString()}`}`;
    ctx.print(items.map(line).join('\n') || 'no keys', { items });
  },
  'revoke-key': revokeKeyCommand,
  'create-user': createUserCommand,
};

async function createWorkspaceCommand(ctx: Context): Promise<void> {
  const name = nameOf(required(ctx.values.name, '--name'), '--name');
  const timezone = ctx.values.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) throw new UsageError(`--timezone: "${timezone}" is not an IANA time zone (e.g. Europe/Madrid, UTC)`);
  const keyName = nameOf(ctx.values['key-name'] ?? 'admin', '--key-name');
  const workspace = await createWorkspace(ctx.db, { name, timezone, now: ctx.now });
  const { record, key } = await createApiKey(ctx.db, workspace.id, { name: keyName, now: ctx.now });
  ctx.print(`Created workspace ${workspace.id} "${workspace.name}" and its API key ${record.id}. The key is shown only now:\n${key}`, { workspace, apiKey: record, key });
}

async function revokeKeyCommand(ctx: Context): Promise<void> {
  const workspace = await existingWorkspace(ctx);
  const keyId = required(ctx.values.key, '--key');
  const result = await revokeApiKey(ctx.db, workspace.id, keyId, ctx.now);
  if (result === 'not_found') throw new UsageError(`--key: workspace ${workspace.id} has no live API key ${keyId} (see list-keys)`);
  if (result === 'last_key') throw new Refused(`${keyId} is the last live API key of workspace ${workspace.id}: create another (create-key) before revoking it`);
  ctx.print(`Revoked API key ${keyId}.`, { revoked: keyId });
}

async function createUserCommand(ctx: Context): Promise<void> {
  const workspace = await existingWorkspace(ctx);
  const email = required(ctx.values.email, '--email');
  const emailIssue = emailProblem(email);
  if (emailIssue) throw new UsageError(`--email: ${emailIssue}`);
  const name = nameOf(required(ctx.values.name, '--name'), '--name');
  const role = ctx.values.role ?? 'owner';
  if (!isUserRole(role)) throw new UsageError(`--role: expected one of ${USER_ROLES.join(', ')}, got "${role}"`);
  const password = await ctx.password();
  if (password === undefined) throw new UsageError('no password given: set PARLEY_ADMIN_PASSWORD, type it when asked, or pipe it on stdin');
  const passwordIssue = passwordProblem(password, email);
  if (passwordIssue) throw new UsageError(`password: ${passwordIssue}`);
  const user = await insertUser(ctx, workspace.id, { email, name, role, passwordHash: await hashPassword(password) });
  ctx.print(`Created ${user.role} ${user.email} (${user.id}) in workspace ${workspace.id}.`, { user });
}

async function insertUser(ctx: Context, workspaceId: string, input: { email: string; name: string; role: UserRole; passwordHash: string }) {
  try {
    return await createUser(ctx.db, workspaceId, { ...input, now: ctx.now });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Refused(`workspace ${workspaceId} already has a user ${input.email.trim().toLowerCase()}`);
    throw err;
  }
}

async function existingWorkspace(ctx: Context) {
  const id = required(ctx.values.workspace, '--workspace');
  const workspace = await getWorkspace(ctx.db, id);
  if (!workspace) throw new UsageError(`--workspace: no workspace ${id} (see list-workspaces)`);
  return workspace;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value;
}

function nameOf(value: string, flag: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100) throw new UsageError(`${flag}: expected 1–100 characters, got ${name.length}`);
  return name;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parse(argv: string[]): { command: string | undefined; values: Values } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    return { command: positionals[0], values: values as Values };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

/** Where a run reads its environment and password and writes its output (a terminal, or a test). */
export interface AdminIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  password(): Promise<string | undefined>;
  /** Told the exit code before the database closes (closing SQLite awaits an unref'd thread, so a process may end during it). */
  exit(code: number): void;
}

export const processIo: AdminIo = {
  env: process.env,
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  password: async () => adminPasswordFromEnv(process.env) ?? (await readPassword()),
  exit: (code) => { process.exitCode = code; },
};

/** Runs one command; returns (and tells io.exit) 0 ok, 2 usage or invalid input, 1 refused or failed. */
export async function runAdmin(argv: string[], io: AdminIo = processIo): Promise<number> {
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let code = 1;
  try {
    code = await runCommand(argv, io, (opened) => { database = opened; });
  } catch (err) {
    code = report(err, io);
  } finally {
    io.exit(code);
    await database?.close();
  }
  return code;
}

async function runCommand(argv: string[], io: AdminIo, opened: (database: Awaited<ReturnType<typeof openDatabase>>) => void): Promise<number> {
  const { command, values } = parse(argv);
  if (values.help || command === undefined) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  const config = loadConfig(io.env);
  const database = await openDatabase(config.databaseUrl);
  opened(database);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) io.err(`${redactUrl(config.databaseUrl)}: applied ${applied.join(', ')}`);
  const print = (human: string, json: unknown): void => io.out(values.json ? JSON.stringify(json, null, 2) : human);
  await run({ db: database.db, values, print, now: Date.now(), password: io.password });
  return 0;
}

function report(err: unknown, io: AdminIo): number {
  if (err instanceof UsageError) {
    io.err(`admin: ${err.message}\nRun \`npm run admin -- --help\` for the commands.`);
    return 2;
  }
  if (err instanceof ConfigError) {
    io.err(err.message);
    return 2;
  }
  io.err(`admin: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}

