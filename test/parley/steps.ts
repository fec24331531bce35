// Steps shared by Parley's integration tests: sending through the API, waiting for a message's
// status, building Meta-shaped webhook payloads, and reading the sandbox's logs.

import { expect } from 'vitest';
import { eventually, PHONE_NUMBER_ID, WABA_ID, type HttpClient } from './harness.js';

export interface ApiMessage {
  id: string; conversationId: string; contactId: string; direction: 'in' | 'out'; type: string; content: any;
  wamid: string | null; status: string; sentAt: number | null; deliveredAt: number | null; readAt: number | null;
  failedAt: number | null; error: { code: number | null; title: string | null; details: string | null } | null;
  policy: any; pricing: { category: string | null; type: string | null; billable: boolean | null; costMicros: number | null };
  mediaId: string | null; outsideWindow: boolean; createdAt: number;
}

export function templateContent(name = 'hello_world', language = 'en_US', body: string[] = []) {
  return { type: 'template', name, language, ...(body.length > 0 ? { body: body.map((text) => ({ type: 'text', text })) } : {}) };
}

/** POST /api/v1/messages and expect 202; returns the queued message. */
export async function sendOk(api: HttpClient, to: string, content: unknown): Promise<ApiMessage> {
  const res = await api.post('/api/v1/messages', { to, content });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as ApiMessage;
}

/** Polls GET /api/v1/messages/:id until `done` holds for it. */
export function waitForMessage(api: HttpClient, id: string, done: (m: ApiMessage) => boolean, timeoutMs = 10_000): Promise<ApiMessage> {
  return eventually(async () => {
    const res = await api.get(`/api/v1/messages/${id}`);
    return res.status === 200 && done(res.body as ApiMessage) ? (res.body as ApiMessage) : undefined;
  }, { timeoutMs, what: `message ${id}` });
}

export const hasStatus = (...statuses: string[]) => (m: ApiMessage) => statuses.includes(m.status);

/** The messages of a conversation (oldest first). */
export async function conversationMessages(api: HttpClient, conversationId: string): Promise<ApiMessage[]> {
  const res = await api.get(`/api/v1/conversations/${conversationId}/messages?order=asc&limit=200`);
  expect(res.status).toBe(200);
  return res.body.items as ApiMessage[];
}

const metadata = { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID };
const envelope = (field: string, value: unknown) => ({
  object: 'whatsapp_business_account', entry: [{ id: WABA_ID, changes: [{ field, value }] }],
});

/** A customer's text message as Meta delivers it. */
export function inboundTextWebhook(o: { waId: string; wamid: string; text: string; at: number; name?: string }) {
  return envelope('messages', {
    messaging_product: 'whatsapp', metadata,
    contacts: [{ profile: { name: o.name ?? 'Test Customer' }, wa_id: o.waId }],
    messages: [{ from: o.waId, id: o.wamid, timestamp: String(Math.floor(o.at / 1000)), type: 'text', text: { body: o.text } }],
  });
}

export interface StatusInput {
  wamid: string; status: 'sent' | 'delivered' | 'read' | 'failed'; at: number; recipient: string; callbackData?: string;
  pricing?: { category: string; type?: string; billable: boolean };
  errors?: Array<{ code: number; title: string; message?: string }>;
}

/** A status update for one of our messages as Meta delivers it. */
export function statusWebhook(s: StatusInput) {
  return envelope('messages', {
    messaging_product: 'whatsapp', metadata,
    statuses: [{
      id: s.wamid, status: s.status, timestamp: String(Math.floor(s.at / 1000)), recipient_id: s.recipient,
      ...(s.callbackData ? { biz_opaque_callback_data: s.callbackData } : {}),
      ...(s.pricing ? { pricing: { pricing_model: 'PMP', ...s.pricing } } : {}),
      ...(s.errors ? { errors: s.errors.map((e) => ({ ...e, message: e.message ?? e.title, error_data: { details: e.title } })) } : {}),
    }],
  });
}

export interface SandboxRequest { seq: number; method: string; path: string; body: any; status: number; response: any; errorCode?: number }

/** Every send request the sandbox received (POST …/messages), oldest first. */
export async function sandboxSends(sandbox: HttpClient): Promise<SandboxRequest[]> {
  const res = await sandbox.get('/_sandbox/log/requests?method=POST&path=/messages&limit=10000');
  expect(res.status).toBe(200);
  return (res.body.data as SandboxRequest[]).filter((r) => r.path.endsWith('/messages'));
}

/** Stops the sandbox's webhooks reaching Parley (they are still logged), so a test drives statuses itself. */
export async function detachSandboxWebhooks(sandbox: HttpClient): Promise<void> {
  const res = await sandbox.post('/_sandbox/apps/900000000000001/callback', { url: null });
  expect(res.status).toBe(200);
}

/** A fresh sandbox customer (attentive unless told otherwise). */
export async function createCustomer(sandbox: HttpClient, waId: string, persona = 'attentive'): Promise<void> {
  const res = await sandbox.post('/_sandbox/customers', { waId, persona });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}
