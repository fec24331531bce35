// The phone view: a page at /_sandbox/phone (its script and stylesheet served beside it) to chat
// with a business number as a simulated customer (type, tap buttons and list rows, react), plus
// the JSON conversation it polls.

import type { FastifyInstance } from 'fastify';
import type { InboundMessage } from '../cloudapi/wire.js';
import type { SandboxContext } from './app.js';
import type { OutboundMessage, SandboxState } from './state.js';
import { notFound } from './control-error.js';
import { installControlErrors } from './control-route.js';
import { PHONE_HTML } from './phone-html.js';
import { PHONE_JS } from './phone-script.js';
import { PHONE_CSS } from './phone-style.js';

interface Tap { kind: 'quick_reply' | 'button_reply' | 'list_reply'; id?: string; index?: number; title: string; description?: string }

interface ConversationItem {
  direction: 'in' | 'out';
  wamid: string;
  at: number;
  type: string;
  text: string;
  status?: string;
  failure?: string;
  taps?: Tap[];
  listButton?: string;
  reaction?: string;
}

export function registerPhonePage(app: FastifyInstance, ctx: SandboxContext): void {
  void app.register(async (scope) => {
    installControlErrors(scope);
    scope.get('/_sandbox/phone', async (_req, reply) => reply.type('text/html; charset=utf-8').send(PHONE_HTML));
    scope.get('/_sandbox/phone.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(PHONE_JS));
    scope.get('/_sandbox/phone.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(PHONE_CSS));
    scope.get<{ Params: { phoneNumberId: string; waId: string } }>('/_sandbox/conversations/:phoneNumberId/:waId', async (req) => {
      const { phoneNumberId, waId } = req.params;
      const number = ctx.state.phoneNumbers.get(phoneNumberId) ?? notFound('phone number', phoneNumberId);
      const customer = ctx.customers.requireCustomer(waId);
      const last = customer.lastInboundAt.get(phoneNumberId);
      const windowUntil = last !== undefined ? last + 24 * 3600_000 : undefined;
      return {
        number: { id: number.id, displayPhoneNumber: number.displayPhoneNumber, verifiedName: number.verifiedName },
        customer: {
          waId: customer.waId, name: customer.name, persona: customer.persona,
          blocked: customer.blockedBusiness.has(phoneNumberId), marketingStopped: customer.marketingStopped.has(phoneNumberId),
        },
        now: ctx.state.clock.now(),
        windowOpenUntil: windowUntil ?? null,
        windowOpen: windowUntil !== undefined && windowUntil > ctx.state.clock.now(),
        items: conversationOf(ctx.state, phoneNumberId, waId),
      };
    });
  });
}

/** Outbound and inbound messages between one number and one customer, oldest first. */
export function conversationOf(state: SandboxState, phoneNumberId: string, waId: string): ConversationItem[] {
  const items: ConversationItem[] = [];
  const byWamid = new Map<string, ConversationItem>();
  for (const m of state.outbound.values()) {
    if (m.phoneNumberId !== phoneNumberId || m.to.replace(/\D/g, '') !== waId) continue;
    const item = outboundItem(state, m);
    items.push(item);
    byWamid.set(m.wamid, item);
  }
  for (const r of state.inbound.values()) {
    if (r.phoneNumberId !== phoneNumberId || r.from !== waId || !r.message) continue;
    const reaction = r.message.reaction;
    if (reaction) {
      const target = byWamid.get(reaction.message_id);
      if (target) { target.reaction = reaction.emoji ?? ''; continue; }
    }
    items.push({ direction: 'in', wamid: r.wamid, at: r.at, type: r.type, text: inboundText(r.message) });
  }
  return items.sort((a, b) => a.at - b.at);
}

function outboundItem(state: SandboxState, m: OutboundMessage): ConversationItem {
  const item: ConversationItem = { direction: 'out', wamid: m.wamid, at: m.sentAt, type: m.type, text: '', status: m.status };
  if (m.failure) item.failure = `${m.failure.code}: ${m.failure.details}`;
  const r = m.request;
  const media = r.image ?? r.video ?? r.audio ?? r.document ?? r.sticker;
  if (r.text) item.text = r.text.body;
  else if (media) item.text = `[${m.type}] ${media.caption ?? media.filename ?? ''}`.trim();
  else if (r.location) item.text = `[location] ${[r.location.name, r.location.address].filter(Boolean).join(', ') || `${r.location.latitude}, ${r.location.longitude}`}`;
  else if (r.contacts) item.text = `[contacts] ${r.contacts.map((c) => c.name.formatted_name).join(', ')}`;
  else if (r.reaction) item.text = `${r.reaction.emoji || '∅'} → ${r.reaction.message_id.slice(0, 16)}…`;
  else if (r.interactive) Object.assign(item, interactiveParts(r.interactive));
  else if (r.template) Object.assign(item, templateParts(state, m));
  return item;
}

function interactiveParts(i: NonNullable<OutboundMessage['request']['interactive']>): Partial<ConversationItem> {
  const text = [i.header?.text, i.body?.text, i.footer?.text].filter(Boolean).join('\n');
  if (i.type === 'button') {
    return { text, taps: (i.action.buttons ?? []).map((b) => ({ kind: 'button_reply' as const, id: b.reply.id, title: b.reply.title })) };
  }
  if (i.type === 'list') {
    const rows = (i.action.sections ?? []).flatMap((s) => s.rows ?? []);
    return {
      text, listButton: i.action.button ?? 'Menu',
      taps: rows.map((row) => ({ kind: 'list_reply' as const, id: row.id, title: row.title, ...(row.description ? { description: row.description } : {}) })),
    };
  }
  const link = i.type === 'cta_url' ? `\n[link] ${String(i.action.parameters?.display_text ?? '')}` : '';
  return { text: `${text}${link}` || `[${i.type}]` };
}

/** The template's text with the send's parameters filled in, and its quick-reply buttons. */
function templateParts(state: SandboxState, m: OutboundMessage): Partial<ConversationItem> {
  const send = m.request.template!;
  const template = m.templateId ? state.templates.get(m.templateId) : undefined;
  if (!template) return { text: `[template ${send.name}]` };
  const fill = (kind: 'header' | 'body', text: string | undefined): string => {
    if (!text) return '';
    const params = send.components?.find((c) => c.type === kind)?.parameters ?? [];
    return text.replace(/\{\{\s*([\w]+)\s*\}\}/g, (whole, key: string) => {
      const p = /^\d+$/.test(key) ? params[Number(key) - 1] : params.find((x) => x.parameter_name === key);
      return p?.text ?? p?.currency?.fallback_value ?? p?.date_time?.fallback_value ?? whole;
    });
  };
  const part = (type: string) => template.components.find((c) => c.type === type);
  const header = part('HEADER');
  const text = [
    header?.format && header.format !== 'TEXT' ? `[${header.format.toLowerCase()}]` : fill('header', header?.text),
    fill('body', part('BODY')?.text), part('FOOTER')?.text ?? '',
  ].filter(Boolean).join('\n');
  const taps: Tap[] = [];
  (part('BUTTONS')?.buttons ?? []).forEach((b, index) => {
    if (b.type === 'QUICK_REPLY') taps.push({ kind: 'quick_reply', index, title: b.text ?? '' });
  });
  return { text, taps };
}

function inboundText(m: InboundMessage): string {
  const media = m.image ?? m.video ?? m.audio ?? m.document ?? m.sticker;
  if (m.text) return m.text.body;
  if (media) return `[${m.type}] ${media.caption ?? media.filename ?? ''}`.trim();
  if (m.location) return `[location] ${m.location.name ?? ''} ${m.location.latitude}, ${m.location.longitude}`.trim();
  if (m.contacts) return `[contacts] ${m.contacts.map((c) => c.name.formatted_name).join(', ')}`;
  if (m.button) return m.button.text;
  if (m.interactive) return m.interactive.button_reply?.title ?? m.interactive.list_reply?.title ?? '[interactive]';
  if (m.order) return `[order] ${m.order.product_items.length} item(s)`;
  if (m.system) return m.system.body;
  return `[${m.type}]`;
}
