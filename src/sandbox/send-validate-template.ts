// Template sends: the request's shape (validateTemplateSend, before any rule) and its parameters
// against the stored template (checkTemplateParameters, business rule 9 once the template is known).
// Codes: 132000 wrong number of parameters; 132012 named vs positional or wrong parameter type;
// 131009 a parameter over its own limit (header 60, body 1024 or 32768 when the body is alone);
// 132005 hydrated text over the component's limit.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components

import type { WireTemplateComponent, WireTemplateSend } from '../cloudapi/wire.js';
import { fail } from './graph-errors.js';
import {
  child, invalid, isObject, missing, onlyKeys, optionalString, requireArray, requireCoordinate, requireEnum,
  requireObject, requireString, validateMedia, wrongType, type Obj, type ValidationScope,
} from './send-validate-common.js';
import type { Template } from './state.js';

const PARAM_TYPES = ['text', 'currency', 'date_time', 'image', 'video', 'document', 'location', 'payload', 'coupon_code', 'action'] as const;
const BUTTON_SUB_TYPES = ['quick_reply', 'url', 'copy_code', 'catalog', 'flow', 'mpm', 'voice_call'] as const;

export function validateTemplateSend(node: Obj, scope: ValidationScope): WireTemplateSend {
  onlyKeys(node, ['name', 'language', 'components', 'namespace'], 'template');
  requireString(node, 'name', 'template', { max: 512 });
  const language = requireObject(node, 'language', 'template');
  onlyKeys(language, ['code', 'policy'], "template['language']");
  requireString(language, 'code', "template['language']", { max: 15 });
  if (language.policy !== undefined) requireEnum(language, 'policy', "template['language']", ['deterministic'] as const);
  if (node.components !== undefined) {
    const components = requireArray(node, 'components', 'template', 0, 20);
    components.forEach((c, i) => validateComponent(c, `template['components'][${i}]`, scope));
  }
  return node as unknown as WireTemplateSend;
}

function validateComponent(c: unknown, path: string, scope: ValidationScope): void {
  if (!isObject(c)) wrongType(path, 'a JSON object');
  onlyKeys(c, ['type', 'sub_type', 'index', 'parameters'], path);
  const type = requireEnum(c, 'type', path, ['header', 'body', 'button'] as const);
  if (type === 'button') {
    requireEnum(c, 'sub_type', path, BUTTON_SUB_TYPES);
    const index = c.index;
    if (index === undefined || index === null || index === '') missing(child(path, 'index'));
    if (!/^\d$/.test(String(index))) invalid(child(path, 'index'), 'must be a button position from 0 to 9');
  } else if (c.sub_type !== undefined || c.index !== undefined) {
    fail(100, `Unexpected key "${c.sub_type !== undefined ? 'sub_type' : 'index'}" on param "${path}"`);
  }
  const params = c.parameters === undefined ? [] : requireArray(c, 'parameters', path, 0, 100);
  params.forEach((p, i) => validateParameter(p, `${child(path, 'parameters')}[${i}]`, scope));
}

function validateParameter(p: unknown, path: string, scope: ValidationScope): void {
  if (!isObject(p)) wrongType(path, 'a JSON object');
  const type = requireEnum(p, 'type', path, PARAM_TYPES);
  onlyKeys(p, ['type', 'parameter_name', type], path);
  optionalString(p, 'parameter_name', path, { max: 512 });
  switch (type) {
    case 'text': {
      const text = p.text;
      if (text === undefined || text === null) missing(child(path, 'text'));
      if (typeof text !== 'string') wrongType(child(path, 'text'), 'a string');
      // Meta refuses layout characters inside parameters (they would break the approved layout).
      if (/[\n\t]| {5,}/.test(text)) fail(100, `Param ${child(path, 'text')} cannot have new-line/tab characters or more than 4 consecutive spaces`);
      return;
    }
    case 'payload': requireString(p, 'payload', path, { max: 1000 }); return;
    case 'coupon_code': requireString(p, 'coupon_code', path, { max: 15 }); return;
    case 'currency': {
      const cur = requireObject(p, 'currency', path);
      const cp = child(path, 'currency');
      onlyKeys(cur, ['fallback_value', 'code', 'amount_1000'], cp);
      requireString(cur, 'fallback_value', cp);
      const code = requireString(cur, 'code', cp);
      if (!/^[A-Z]{3}$/.test(code)) invalid(child(cp, 'code'), 'must be an ISO 4217 currency code');
      if (typeof cur.amount_1000 !== 'number' || !Number.isInteger(cur.amount_1000)) wrongType(child(cp, 'amount_1000'), 'an integer');
      return;
    }
    case 'date_time': {
      const dt = requireObject(p, 'date_time', path);
      onlyKeys(dt, ['fallback_value', 'day_of_week', 'year', 'month', 'day_of_month', 'hour', 'minute', 'calendar', 'timestamp'], child(path, 'date_time'));
      requireString(dt, 'fallback_value', child(path, 'date_time'));
      return;
    }
    case 'image': case 'video': case 'document':
      validateMedia(type, requireObject(p, type, path), scope, child(path, type));
      return;
    case 'location': {
      const loc = requireObject(p, 'location', path);
      const lp = child(path, 'location');
      onlyKeys(loc, ['latitude', 'longitude', 'name', 'address'], lp);
      requireCoordinate(loc, 'latitude', lp, 90);
      requireCoordinate(loc, 'longitude', lp, 180);
      optionalString(loc, 'name', lp);
      optionalString(loc, 'address', lp);
      return;
    }
    case 'action': requireObject(p, 'action', path); return;
  }
}

// ---------- parameters against the stored template (rule 9) ----------

type SendParam = { type: string; text?: string; parameter_name?: string; [k: string]: unknown };
type SendComponent = { type: string; sub_type?: string; index?: string | number; parameters?: SendParam[] };

/** Placeholders of a template text in order of first appearance: "1", "2" or "first_name". */
export function placeholdersOf(text: string | undefined): string[] {
  const seen: string[] = [];
  for (const m of (text ?? '').matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/g)) {
    if (!seen.includes(m[1]!)) seen.push(m[1]!);
  }
  return seen;
}

function findComponent(t: Template, type: string): WireTemplateComponent | undefined {
  return t.components.find((c) => c.type.toUpperCase() === type);
}

/** Throws 132000 / 132012 / 131009 / 132005 when the send's parameters do not fit the template. */
export function checkTemplateParameters(t: Template, send: WireTemplateSend): void {
  const components = (send.components ?? []) as SendComponent[];
  const of = (type: string) => components.filter((c) => c.type === type);
  if (of('header').length > 1 || of('body').length > 1) fail(132000, 'Only one header and one body component may be given');
  const bodyOnly = t.components.every((c) => c.type.toUpperCase() === 'BODY');
  checkHeader(t, of('header')[0]);
  checkTextComponent(t, 'body', findComponent(t, 'BODY'), of('body')[0], bodyOnly ? 32768 : 1024);
  checkButtons(t, of('button'));
}

const MEDIA_FORMATS: Record<string, string> = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document', GIF: 'video', LOCATION: 'location' };

function checkHeader(t: Template, given: SendComponent | undefined): void {
  const header = findComponent(t, 'HEADER');
  const format = (header?.format ?? 'TEXT').toUpperCase();
  const mediaType = header ? MEDIA_FORMATS[format] : undefined;
  if (!mediaType) {
    checkTextComponent(t, 'header', header, given, 60);
    return;
  }
  const params = given?.parameters ?? [];
  if (params.length !== 1) {
    fail(132000, `header: number of localizable_params (${params.length}) does not match the expected number of params (1)`);
  }
  if (params[0]!.type !== mediaType) {
    fail(132012, `header: parameter type ${params[0]!.type} does not match the template's ${format} header (expected ${mediaType})`);
  }
}

function checkTextComponent(t: Template, kind: 'header' | 'body', comp: WireTemplateComponent | undefined, given: SendComponent | undefined, max: number): void {
  const expected = placeholdersOf(comp?.text);
  const params = given?.parameters ?? [];
  if (params.length !== expected.length) {
    fail(132000, `${kind}: number of localizable_params (${params.length}) does not match the expected number of params (${expected.length})`);
  }
  if (params.length === 0) return;
  const allowed = kind === 'header' ? ['text'] : ['text', 'currency', 'date_time'];
  const values = new Map<string, string>();
  params.forEach((p, i) => {
    if (!allowed.includes(p.type)) fail(132012, `${kind}: parameter ${i + 1} has type ${p.type}; expected ${allowed.join(' or ')}`);
    const key = parameterKey(t, kind, p, i, expected);
    const value = textOf(p);
    if ([...value].length > max) fail(131009, `${kind}: parameter ${key} is longer than ${max} characters`);
    values.set(key, value);
  });
  const hydrated = (comp?.text ?? '').replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/g, (_, k: string) => values.get(k) ?? '');
  if ([...hydrated].length > max) fail(132005, `${kind}: text with parameters is ${[...hydrated].length} characters; the limit is ${max}`);
}

/** Named templates need `parameter_name` on every parameter; positional ones must not have it. */
function parameterKey(t: Template, kind: string, p: SendParam, i: number, expected: string[]): string {
  if (t.parameterFormat === 'NAMED') {
    if (!p.parameter_name) fail(132012, `${kind}: template ${t.name} uses named parameters; parameter ${i + 1} has no parameter_name`);
    if (!expected.includes(p.parameter_name)) {
      fail(132000, `${kind}: parameter_name "${p.parameter_name}" is not a parameter of template ${t.name} (expected ${expected.join(', ')})`);
    }
    return p.parameter_name;
  }
  if (p.parameter_name !== undefined) fail(132012, `${kind}: template ${t.name} uses positional parameters; remove parameter_name "${p.parameter_name}"`);
  return expected[i]!;
}

function textOf(p: SendParam): string {
  if (p.type === 'text') return p.text ?? '';
  const nested = p[p.type] as { fallback_value?: string } | undefined;
  return nested?.fallback_value ?? '';
}

/** Which sub_type and parameter type a template button takes at send time, if any. */
function buttonNeeds(b: { type: string; url?: string; otp_type?: string }): { subType: string; paramType: string; required: boolean } | undefined {
  switch (b.type.toUpperCase()) {
    case 'URL': return placeholdersOf(b.url).length > 0 ? { subType: 'url', paramType: 'text', required: true } : undefined;
    case 'OTP': return { subType: 'url', paramType: 'text', required: true };
    case 'COPY_CODE': return { subType: 'copy_code', paramType: 'coupon_code', required: true };
    case 'QUICK_REPLY': return { subType: 'quick_reply', paramType: 'payload', required: false };
    case 'FLOW': return { subType: 'flow', paramType: 'action', required: false };
    case 'CATALOG': return { subType: 'catalog', paramType: 'action', required: false };
    case 'MPM': return { subType: 'mpm', paramType: 'action', required: true };
    default: return undefined;
  }
}

function checkButtons(t: Template, given: SendComponent[]): void {
  const buttons = findComponent(t, 'BUTTONS')?.buttons ?? [];
  const byIndex = new Map<number, SendComponent>();
  for (const g of given) {
    const index = Number(g.index);
    if (byIndex.has(index)) fail(132000, `button: index ${index} is given more than once`);
    byIndex.set(index, g);
    const button = buttons[index];
    if (!button) fail(132000, `button: template ${t.name} has no button at index ${index}`);
    const need = buttonNeeds(button);
    if (!need || need.subType !== g.sub_type) {
      fail(132012, `button ${index}: sub_type ${g.sub_type} does not match the template's ${button.type} button`);
    }
    const params = g.parameters ?? [];
    if (params.length > 1) fail(132000, `button ${index}: number of params (${params.length}) does not match the expected number of params (1)`);
    if (params[0] && params[0].type !== need.paramType) {
      fail(132012, `button ${index}: parameter type ${params[0].type} does not match; expected ${need.paramType}`);
    }
  }
  buttons.forEach((b, index) => {
    const need = buttonNeeds(b);
    const params = byIndex.get(index)?.parameters ?? [];
    if (need?.required && params.length === 0) {
      fail(132000, `button ${index}: number of params (0) does not match the expected number of params (1)`);
    }
  });
}
