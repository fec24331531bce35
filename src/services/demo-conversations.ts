// Demo conversations for a new demo workspace (`npm start`, first run): the sandbox's simulated
// customers write in through the real path (the sandbox's signed webhooks to Parley), and the demo
// operators answer, take, note and resolve through the same services the web app calls, so the inbox
// a newcomer opens shows what a working day looks like: a chat taken and answered, one waiting with a
// note for the agent, one with a location, one resolved.

import type { CustomerMessageInput } from '../sandbox/customer-messages.js';
import type { RunningSandbox } from '../sandbox/server.js';
import type { AppDeps } from '../http/deps.js';
import { findConversation } from '../store/queries/conversations.js';
import { findContactByWaId } from '../store/queries/contacts.js';
import { getMessage } from '../store/queries/messages.js';
import { createTeam, listTeams, setTeamMembers } from '../store/queries/teams.js';
import { findUserByEmail } from '../store/queries/users.js';
import { assign } from './assignment.js';
import { changeConversationStatus } from './conversations.js';
import type { Demo } from './demo.js';
import { addNote } from './notes.js';
import { sendMessage } from './outbound.js';
import type { ViewingUser } from './visibility.js';

/** The sandbox seed's customers (src/sandbox/seed.ts DEFAULT_SEED). */
const IVAN = '79161234567';
const OLIVIA = '447911123456';
const ANA = '5511987654321';
const JOHN = '14155550123';

export interface DemoConversationsOptions {
  /** How long to wait for one webhook to be applied (default 15 s). */
  timeoutMs?: number;
}

/** Plays the demo script once; returns the ids of the conversations it made. */
export async function seedDemoConversations(
  deps: AppDeps, sandbox: RunningSandbox, demo: Demo, opts: DemoConversationsOptions = {},
): Promise<string[]> {
  const { db } = deps.database;
  const ws = demo.workspaceId;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const operator = async (email: string): Promise<ViewingUser> => {
    const user = await findUserByEmail(db, ws, email);
    if (!user) throw new Error(`demo operator ${email} is missing`);
    return { id: user.id, workspaceId: ws, role: user.role };
  };
  const admin = await operator(demo.users.find((u) => u.role === 'admin')!.email);
  const agent = await operator(demo.users.find((u) => u.role === 'agent')!.email);
  const team = (await listTeams(db, ws)).find((t) => t.name === 'Support') ?? (await createTeam(db, ws, { name: 'Support', now: deps.now() }));
  await setTeamMembers(db, ws, team.id, [agent.id], deps.now());

  const customer = (waId: string, input: CustomerMessageInput) => sandbox.ctx.customers.sendMessage(waId, input);
  const conversationOf = (waId: string) => waitFor(timeoutMs, `the conversation with ${waId}`, async () => {
    const contact = await findContactByWaId(db, ws, waId);
    return contact && (await findConversation(db, ws, demo.inboxId, contact.id))?.id;
  });
  const reply = async (user: ViewingUser, waId: string, body: string) => {
    const { message } = await sendMessage(deps, ws, { inboxId: demo.inboxId, to: waId, content: { type: 'text', body } }, { user });
    return message.id;
  };

  // A customer's question, taken by the agent and answered; the customer thanks with a reaction.
  customer(IVAN, { type: 'text', text: 'Здравствуйте! Заказ №4812 ещё не пришёл. Подскажите, где он?' });
  const ivan = await conversationOf(IVAN);
  await assign(deps, ws, admin, ivan, { assigneeId: agent.id, teamId: team.id, note: 'Вопрос о доставке' });
  const answer = await reply(agent, IVAN, 'Добрый день, Иван! Заказ №4812 передан курьеру, он привезёт его завтра с 10 до 14.');
  const wamid = await waitFor(timeoutMs, 'the answer to be sent', async () => (await getMessage(db, ws, answer))?.wamid ?? undefined);
  customer(IVAN, { type: 'reaction', messageId: wamid, emoji: '👍' });

  // Waiting, unassigned: the admin leaves a note for the agent (it shows in the agent's Mentions).
  customer(OLIVIA, { type: 'text', text: 'Hi! Do you deliver to Manchester, and how long does it take?' });
  const olivia = await conversationOf(OLIVIA);
  const agentName = (await findUserByEmail(db, ws, demo.users.find((u) => u.role === 'agent')!.email))!.name;
  await addNote(deps, ws, admin, olivia, `@${agentName} could you take this one? UK delivery is 2–3 working days.`);

  // A location and a question about it.
  customer(ANA, { type: 'location', latitude: 55.7601, longitude: 37.6186, name: 'Пункт выдачи', address: 'Тверская ул., 7, Москва' });
  customer(ANA, { type: 'text', text: 'Is this pickup point open on Sunday?' });
  const ana = await conversationOf(ANA);

  // Answered and resolved.
  customer(JOHN, { type: 'text', text: 'Please cancel my subscription.' });
  const john = await conversationOf(JOHN);
  await reply(admin, JOHN, 'Done: your subscription is cancelled and you will not be charged again. Anything else we can help with?');
  await changeConversationStatus(deps, ws, admin, john, { state: 'resolved' });
  return [ivan, olivia, ana, john];
}

async function waitFor<T>(timeoutMs: number, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`demo conversations: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
