// The demo workspace `npm start` seeds: one workspace, the sandbox's demo number as its inbox, an
// API key and two operators (an admin and an agent). The key and the operators' random passwords are
// shown only when created, so they are kept in files beside the data to be printed again later.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { passwordProblem, type UserLocale, type UserRole } from '../core/users.js';
import type { AppDeps } from '../http/deps.js';
import { createApiKey, findApiKey } from '../store/queries/api-keys.js';
import { createInbox, findInboxByPhoneNumberId } from '../store/queries/inboxes.js';
import { createUser, findUserByEmail, updateUser } from '../store/queries/users.js';
import { createWorkspace } from '../store/queries/workspaces.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface DemoNumber {
  phoneNumberId: string; wabaId: string; displayPhoneNumber: string; verifiedName: string;
  accessToken: string; appSecret: string;
}

export interface DemoUser { email: string; password: string; role: UserRole }

/** `created`: this start made the workspace (the first run on this data), so its demo conversations are still to be played. */
export interface Demo { workspaceId: string; inboxId: string; apiKey: string; users: DemoUser[]; created: boolean }

/** The agent works in Russian, the admin in English: a newcomer sees both languages (each changes it in My profile). */
const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: UserRole; locale: UserLocale }> = [
  { email: 'admin@demo.parley.test', name: 'Demo Admin', role: 'admin', locale: 'en' },
  { email: 'agent@demo.parley.test', name: 'Анна Смирнова', role: 'agent', locale: 'ru' },
];

/** Creates the demo workspace once; later starts reuse it and the key kept in `keyFile`. */
export async function ensureDemo(deps: AppDeps, number: DemoNumber, keyFile: string): Promise<Demo> {
  const { db } = deps.database;
  const existing = await findInboxByPhoneNumberId(db, number.phoneNumberId);
  if (existing) {
    const kept = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
    const live = kept ? await findApiKey(db, kept) : undefined;
    const apiKey = live?.workspaceId === existing.workspaceId ? kept : await newKey(deps, existing.workspaceId, keyFile);
    return { workspaceId: existing.workspaceId, inboxId: existing.id, apiKey, users: await ensureDemoUsers(deps, existing.workspaceId, usersFile(keyFile)), created: false };
  }
  const now = deps.now();
  const workspace = await createWorkspace(db, { name: 'Demo', now });
  const inbox = await createInbox(db, workspace.id, { ...number, status: 'CONNECTED', messagingLimit: 250, throughputMps: 80, now }, deps.secretKey);
  return {
    workspaceId: workspace.id, inboxId: inbox.id, apiKey: await newKey(deps, workspace.id, keyFile),
    users: await ensureDemoUsers(deps, workspace.id, usersFile(keyFile)), created: true,
  };
}

function usersFile(keyFile: string): string {
  return join(dirname(keyFile), 'demo-users.json');
}

function randomPassword(): string {
  for (;;) {
    const password = randomBytes(12).toString('base64url');
    if (passwordProblem(password) === undefined) return password;
  }
}

function readKept(file: string): Record<string, string> {
  try {
    const parsed: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * The demo operators with the passwords kept in `file`: created when missing, and given a new
 * password when the kept one is gone or no longer matches (someone changed it, or the file was lost).
 */
async function ensureDemoUsers(deps: AppDeps, workspaceId: string, file: string): Promise<DemoUser[]> {
  const { db } = deps.database;
  const kept = readKept(file);
  const users = await Promise.all(DEMO_USERS.map(async (spec): Promise<DemoUser> => {
    const existing = await findUserByEmail(db, workspaceId, spec.email);
    const keptPassword = kept[spec.email];
    if (existing && typeof keptPassword === 'string' && (await verifyPassword(keptPassword, existing.passwordHash))) {
      return { email: spec.email, password: keptPassword, role: existing.role };
    }
    const password = randomPassword();
    const passwordHash = await hashPassword(password);
    if (existing) await updateUser(db, workspaceId, existing.id, { passwordHash }, deps.now());
    else await createUser(db, workspaceId, { ...spec, passwordHash, now: deps.now() });
    return { email: spec.email, password, role: existing?.role ?? spec.role };
  }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(users.map((u) => [u.email, u.password])), null, 2)}\n`, { mode: 0o600 });
  return users;
}

async function newKey(deps: AppDeps, workspaceId: string, keyFile: string): Promise<string> {
  const { key } = await createApiKey(deps.database.db, workspaceId, { name: 'demo', now: deps.now() });
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  return key;
}
