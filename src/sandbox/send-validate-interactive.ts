// Interactive message validation: reply buttons, list, cta_url, product, product_list,
// catalog_message, flow, location request and call permission request, with Meta's documented limits.
// Codes as in send-validate-common.ts; known Meta types the sandbox does not emulate answer 131051.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages

import type { InteractiveType } from '../cloudapi/wire.js';
import { fail } from './graph-errors.js';
import {
  child, invalid, isHttpUrl, isObject, missing, onlyKeys, optionalObject, optionalString, requireArray,
  requireEnum, requireObject, requireString, validateMedia, wrongType, type Obj, type ValidationScope,
} from './send-validate-common.js';

const INTERACTIVE_TYPES: readonly InteractiveType[] = [
  'button', 'list', 'cta_url', 'product', 'product_list', 'catalog_message', 'flow',
  'location_request_message', 'call_permission_request',
];
/** Documented by Meta but outside the sandbox's emulation (payments, carousels, calling buttons). */
const NOT_EMULATED = ['order_details', 'order_status', 'carousel', 'media_carousel', 'product_carousel', 'voice_call', 'address_message'];

type HeaderRule = 'any' | 'text-only' | 'text-required' | 'none';

interface TypeRule { header: HeaderRule; body: 'required' | 'optional' | 'none'; footer: boolean; bodyMax: number }

const RULES: Record<InteractiveType, TypeRule> = {
  button: { header: 'any', body: 'required', footer: true, bodyMax: 1024 },
  // The list page documents a 4096-character body (the reference says 1024 for the others).
  list: { header: 'text-only', body: 'required', footer: true, bodyMax: 4096 },
  cta_url: { header: 'any', body: 'required', footer: true, bodyMax: 1024 },
  product: { header: 'none', body: 'optional', footer: true, bodyMax: 1024 },
  product_list: { header: 'text-required', body: 'required', footer: true, bodyMax: 1024 },
  catalog_message: { header: 'none', body: 'required', footer: true, bodyMax: 1024 },
  flow: { header: 'any', body: 'required', footer: true, bodyMax: 1024 },
  location_request_message: { header: 'none', body: 'required', footer: false, bodyMax: 1024 },
  call_permission_request: { header: 'none', body: 'required', footer: false, bodyMax: 1024 },
};

export function validateInteractive(node: Obj, scope: ValidationScope): void {
  onlyKeys(node, ['type', 'header', 'body', 'footer', 'action'], 'interactive');
  const type = interactiveTypeOf(node);
  const rule = RULES[type];
  validateHeader(node, rule.header, type, scope);
  validateBody(node, rule);
  if (node.footer !== undefined) {
    if (!rule.footer) invalid("interactive['footer']", `is not allowed for ${type} messages`);
    const footer = requireObject(node, 'footer', 'interactive');
    onlyKeys(footer, ['text'], "interactive['footer']");
    requireString(footer, 'text', "interactive['footer']", { max: 60 });
  }
  const action = requireObject(node, 'action', 'interactive');
  ACTIONS[type](action, "interactive['action']");
}

function interactiveTypeOf(node: Obj): InteractiveType {
  const type = node.type;
  if (type === undefined || type === null || type === '') missing("interactive['type']");
  if (typeof type !== 'string') wrongType("interactive['type']", 'a string');
  if (NOT_EMULATED.includes(type)) fail(131051, `Interactive type "${type}" is not supported by the sandbox`);
  if (!(INTERACTIVE_TYPES as readonly string[]).includes(type)) {
    fail(100, `Param interactive['type'] must be one of {${INTERACTIVE_TYPES.join(', ')}}`);
  }
  return type as InteractiveType;
}

function validateHeader(node: Obj, rule: HeaderRule, type: InteractiveType, scope: ValidationScope): void {
  const path = "interactive['header']";
  const header = optionalObject(node, 'header', 'interactive');
  if (!header) {
    if (rule === 'text-required') missing(path);
    return;
  }
  if (rule === 'none') invalid(path, `is not allowed for ${type} messages`);
  onlyKeys(header, ['type', 'text', 'sub_text', 'image', 'video', 'document'], path);
  const kind = requireEnum(header, 'type', path, ['text', 'image', 'video', 'document'] as const);
  if (kind !== 'text' && rule !== 'any') invalid(child(path, 'type'), `must be "text" for ${type} messages`);
  if (kind === 'text') {
    requireString(header, 'text', path, { max: 60 });
    optionalString(header, 'sub_text', path, { max: 60 });
    for (const k of ['image', 'video', 'document']) if (header[k] !== undefined) fail(100, `Unexpected key "${k}" on param "${path}"`);
    return;
  }
  for (const k of ['text', 'sub_text', 'image', 'video', 'document']) {
    if (k !== kind && header[k] !== undefined) fail(100, `Unexpected key "${k}" on param "${path}"`);
  }
  validateMedia(kind, requireObject(header, kind, path), scope, child(path, kind));
}

function validateBody(node: Obj, rule: TypeRule): void {
  const path = "interactive['body']";
  if (node.body === undefined) {
    if (rule.body === 'required') missing(path);
    return;
  }
  const body = requireObject(node, 'body', 'interactive');
  onlyKeys(body, ['text'], path);
  requireString(body, 'text', path, { max: rule.bodyMax });
}

type ActionCheck = (action: Obj, path: string) => void;

const ACTIONS: Record<InteractiveType, ActionCheck> = {
  button: validateReplyButtons,
  list: validateListAction,
  cta_url: validateCtaUrl,
  product: (a, p) => {
    onlyKeys(a, ['catalog_id', 'product_retailer_id'], p);
    requireString(a, 'catalog_id', p);
    requireString(a, 'product_retailer_id', p);
  },
  product_list: validateProductList,
  catalog_message: (a, p) => {
    onlyKeys(a, ['name', 'parameters'], p);
    requireEnum(a, 'name', p, ['catalog_message'] as const);
    const params = optionalObject(a, 'parameters', p);
    if (params) {
      onlyKeys(params, ['thumbnail_product_retailer_id'], child(p, 'parameters'));
      optionalString(params, 'thumbnail_product_retailer_id', child(p, 'parameters'));
    }
  },
  flow: validateFlow,
  location_request_message: (a, p) => {
    onlyKeys(a, ['name'], p);
    requireEnum(a, 'name', p, ['send_location'] as const);
  },
  call_permission_request: (a, p) => {
    onlyKeys(a, ['name'], p);
    requireEnum(a, 'name', p, ['call_permission_request'] as const);
  },
};

/** Reply buttons: 1–3; titles ≤20, non-empty and unique; ids ≤256, unique, no surrounding spaces.
 *  https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages */
function validateReplyButtons(action: Obj, path: string): void {
  onlyKeys(action, ['buttons'], path);
  const buttons = requireArray(action, 'buttons', path, 1, 3);
  const titles = new Set<string>();
  const ids = new Set<string>();
  buttons.forEach((b, i) => {
    const p = `${child(path, 'buttons')}[${i}]`;
    if (!isObject(b)) wrongType(p, 'a JSON object');
    onlyKeys(b, ['type', 'reply'], p);
    requireEnum(b, 'type', p, ['reply'] as const);
    const reply = requireObject(b, 'reply', p);
    onlyKeys(reply, ['id', 'title'], child(p, 'reply'));
    const id = requireString(reply, 'id', child(p, 'reply'), { max: 256 });
    const title = requireString(reply, 'title', child(p, 'reply'), { max: 20 });
    if (id !== id.trim()) invalid(child(child(p, 'reply'), 'id'), 'must not have leading or trailing spaces');
    if (title.trim() === '') missing(child(child(p, 'reply'), 'title'));
    if (titles.has(title)) invalid(child(child(p, 'reply'), 'title'), 'duplicates another button title; titles must be unique');
    if (ids.has(id)) invalid(child(child(p, 'reply'), 'id'), 'duplicates another button id; ids must be unique');
    titles.add(title);
    ids.add(id);
  });
}

/** List: button label ≤20; 1–10 sections (titled ≤24 when more than one); ≤10 rows in total; row id
 *  ≤200 and unique, title ≤24, description ≤72.
 *  https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages */
function validateListAction(action: Obj, path: string): void {
  onlyKeys(action, ['button', 'sections'], path);
  requireString(action, 'button', path, { max: 20 });
  const sections = requireArray(action, 'sections', path, 1, 10);
  const rowIds = new Set<string>();
  let rows = 0;
  sections.forEach((s, i) => {
    const p = `${child(path, 'sections')}[${i}]`;
    if (!isObject(s)) wrongType(p, 'a JSON object');
    onlyKeys(s, ['title', 'rows'], p);
    if (sections.length > 1) requireString(s, 'title', p, { max: 24 });
    else optionalString(s, 'title', p, { max: 24 });
    const list = requireArray(s, 'rows', p, 1, 10);
    rows += list.length;
    if (rows > 10) invalid(child(path, 'sections'), `have ${rows}+ rows in total; at most 10 rows are allowed`);
    list.forEach((r, j) => {
      const rp = `${child(p, 'rows')}[${j}]`;
      if (!isObject(r)) wrongType(rp, 'a JSON object');
      onlyKeys(r, ['id', 'title', 'description'], rp);
      const id = requireString(r, 'id', rp, { max: 200 });
      requireString(r, 'title', rp, { max: 24 });
      optionalString(r, 'description', rp, { max: 72 });
      if (rowIds.has(id)) invalid(child(rp, 'id'), 'duplicates another row id; row ids must be unique');
      rowIds.add(id);
    });
  });
}

function validateCtaUrl(action: Obj, path: string): void {
  onlyKeys(action, ['name', 'parameters'], path);
  requireEnum(action, 'name', path, ['cta_url'] as const);
  const params = requireObject(action, 'parameters', path);
  const p = child(path, 'parameters');
  onlyKeys(params, ['display_text', 'url'], p);
  requireString(params, 'display_text', p, { max: 20 });
  const url = requireString(params, 'url', p, { max: 2000 });
  if (!isHttpUrl(url)) invalid(child(p, 'url'), 'must be an http(s) URL');
}

/** Product list: ≤10 sections, each titled (≤24), ≤30 products in total. */
function validateProductList(action: Obj, path: string): void {
  onlyKeys(action, ['catalog_id', 'sections'], path);
  requireString(action, 'catalog_id', path);
  const sections = requireArray(action, 'sections', path, 1, 10);
  let items = 0;
  sections.forEach((s, i) => {
    const p = `${child(path, 'sections')}[${i}]`;
    if (!isObject(s)) wrongType(p, 'a JSON object');
    onlyKeys(s, ['title', 'product_items'], p);
    requireString(s, 'title', p, { max: 24 });
    const list = requireArray(s, 'product_items', p, 1, 30);
    items += list.length;
    if (items > 30) invalid(child(path, 'sections'), `have ${items}+ products in total; at most 30 are allowed`);
    list.forEach((item, j) => {
      const ip = `${child(p, 'product_items')}[${j}]`;
      if (!isObject(item)) wrongType(ip, 'a JSON object');
      onlyKeys(item, ['product_retailer_id'], ip);
      requireString(item, 'product_retailer_id', ip);
    });
  });
}

const FLOW_PARAMS = [
  'flow_message_version', 'flow_id', 'flow_name', 'flow_cta', 'mode', 'flow_token', 'flow_action', 'flow_action_payload',
];

/** Flow messages: version "3", exactly one of flow_id / flow_name, CTA ≤30, mode and action enums.
 *  https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow */
function validateFlow(action: Obj, path: string): void {
  onlyKeys(action, ['name', 'parameters'], path);
  requireEnum(action, 'name', path, ['flow'] as const);
  const params = requireObject(action, 'parameters', path);
  const p = child(path, 'parameters');
  onlyKeys(params, FLOW_PARAMS, p);
  const version = requireString(params, 'flow_message_version', p);
  if (version !== '3') invalid(child(p, 'flow_message_version'), 'must be "3"');
  const id = optionalString(params, 'flow_id', p);
  const name = optionalString(params, 'flow_name', p);
  if (id === undefined && name === undefined) missing(`${child(p, 'flow_id')} or ${child(p, 'flow_name')}`);
  if (id !== undefined && name !== undefined) invalid(p, 'must have either flow_id or flow_name, not both');
  requireString(params, 'flow_cta', p, { max: 30 });
  if (params.mode !== undefined) requireEnum(params, 'mode', p, ['draft', 'published'] as const);
  optionalString(params, 'flow_token', p);
  const flowAction = params.flow_action === undefined
    ? 'navigate'
    : requireEnum(params, 'flow_action', p, ['navigate', 'data_exchange'] as const);
  const payload = optionalObject(params, 'flow_action_payload', p);
  if (payload) {
    const pp = child(p, 'flow_action_payload');
    onlyKeys(payload, ['screen', 'data'], pp);
    if (flowAction === 'navigate') requireString(payload, 'screen', pp);
    if (payload.data !== undefined && !isObject(payload.data)) wrongType(child(pp, 'data'), 'a JSON object');
  }
}
