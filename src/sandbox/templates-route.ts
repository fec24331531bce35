// Template management under /{waba-id}/message_templates: create (with Meta's limits and creation
// errors), list (filters, cursor paging), delete (all languages or one), and the per-template
// get/edit that objects-route dispatches to. Review runs later on the sandbox clock.
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TemplateCategory, TemplateStatus, WireTemplateComponent } from '../cloudapi/wire.js';
import { assertWabaAccess, type SandboxContext } from './app.js';
import { fail, unknownObject } from './graph-errors.js';
import { countManagementCall, jsonBody, optionalString, paramsOf, parseFields, pickFields, requiredString } from './management-input.js';
import type { SandboxState, Template, Waba } from './state.js';
import { firstSyncProblem, type TemplateDraft } from './template-rules.js';
import { categoryUpdateValue, presetAuthenticationComponents, reviewTemplate, statusUpdateValue } from './template-review.js';
import { listTemplates, templateToWire, TEMPLATE_FIELDS } from './template-list.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Why: 250 templates per WABA unverified, 6,000 verified; ≤100 creations per WABA per hour. https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#limitations */
const TEMPLATES_UNVERIFIED = 250;
const TEMPLATES_VERIFIED = 6000;
const CREATES_PER_HOUR = 100;
const APPROVED_EDITS_PER_DAY = 1;
const APPROVED_EDITS_PER_30_DAYS = 10;
const NAME_REUSE_MS = 30 * DAY_MS;
const CATEGORIES: readonly TemplateCategory[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/** Per-state bookkeeping the Template record doesn't carry: creations per WABA, review timers. */
interface TemplateBook { creations: Map<string, number[]>; reviews: Map<string, number> }
const books = new WeakMap<SandboxState, TemplateBook>();

function bookOf(state: SandboxState): TemplateBook {
  let book = books.get(state);
  if (!book) books.set(state, (book = { creations: new Map(), reviews: new Map() }));
  return book;
}

export function registerTemplateRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post<{ Params: { wabaId: string } }>('/:version/:wabaId/message_templates', async (req) => createTemplate(ctx, req, wabaFor(ctx, req, req.params.wabaId)));
  app.get<{ Params: { version: string; wabaId: string } }>('/:version/:wabaId/message_templates', async (req) => {
    const waba = wabaFor(ctx, req, req.params.wabaId);
    return listTemplates(ctx.state, waba.id, req.params.version, req.query as Record<string, unknown>);
  });
  app.delete<{ Params: { wabaId: string } }>('/:version/:wabaId/message_templates', async (req) => deleteTemplates(ctx, req, wabaFor(ctx, req, req.params.wabaId)));
}

function wabaFor(ctx: SandboxContext, req: FastifyRequest, wabaId: string): Waba {
  const waba = ctx.state.wabas.get(wabaId);
  if (!waba) unknownObject(wabaId);
  assertWabaAccess(req, wabaId);
  countManagementCall(ctx.state, waba);
  return waba;
}

/** Template create/edit errors: Graph code 100 with Meta's 2388xxx subcode and title. */
function templateError(subcode: number, title: string, details: string): never {
  fail(100, details, { subcode, title });
}

function createTemplate(ctx: SandboxContext, req: FastifyRequest, waba: Waba): Record<string, unknown> {
  const state = ctx.state;
  const body = jsonBody(req);
  const draft = parseDraft(body);
  assertNoSyncProblem(draft);
  const now = state.clock.now();
  const siblings = [...state.templates.values()].filter((t) => t.wabaId === waba.id);
  if (siblings.some((t) => t.name === draft.name && t.language === draft.language)) {
    templateError(2388024, 'Content in This Language Already Exists', `There is already ${draft.language} content for the template ${draft.name}. Create a new template or edit the existing one.`);
  }
  const reusableAt = state.deletedTemplateNames.get(`${waba.id}:${draft.name}`);
  if (reusableAt !== undefined && reusableAt > now) {
    templateError(2388023, 'Message Template Is Being Deleted', `New content for ${draft.name} can't be added while the deleted template is being removed. Try again after 30 days or use a different name.`);
  }
  const verified = state.businesses.get(waba.businessId)?.verified ?? false;
  const cap = verified ? TEMPLATES_VERIFIED : TEMPLATES_UNVERIFIED;
  if (siblings.length >= cap) templateError(2388019, 'Message template limit exceeded', `This WhatsApp Business Account has reached its limit of ${cap} message templates.`);
  const creations = (bookOf(state).creations.get(waba.id) ?? []).filter((at) => at > now - HOUR_MS);
  if (creations.length >= CREATES_PER_HOUR) fail(80007, `At most ${CREATES_PER_HOUR} message templates can be created per WhatsApp Business Account per hour`);
  bookOf(state).creations.set(waba.id, [...creations, now]);

  const template: Template = {
    id: state.newId(), wabaId: waba.id, name: draft.name, language: draft.language, category: draft.category,
    parameterFormat: draft.parameterFormat, components: draft.components, status: 'PENDING', rejectedReason: 'NONE',
    quality: 'UNKNOWN', qualityAt: now, pauseCount: 0, createdAt: now, approvedEdits: [], feedback: [],
    ...(draft.messageSendTtlSeconds !== undefined ? { messageSendTtlSeconds: draft.messageSendTtlSeconds } : {}),
  };
  state.templates.set(template.id, template);
  scheduleReview(ctx, template);
  return { id: template.id, status: template.status, category: template.category };
}

function assertNoSyncProblem(draft: TemplateDraft): void {
  const problem = firstSyncProblem(draft);
  if (!problem?.sync) return;
  if (problem.sync.subcode === undefined) fail(100, problem.message);
  templateError(problem.sync.subcode, problem.sync.title, problem.message);
}

function parseDraft(body: Record<string, unknown>): TemplateDraft {
  const name = requiredString(body, 'name');
  const language = requiredString(body, 'language');
  const category = parseCategory(requiredString(body, 'category'));
  const components = parseComponents(body.components, true)!;
  const ttl = parseTtl(body.message_send_ttl_seconds);
  return { name, language, category, parameterFormat: parseParameterFormat(body.parameter_format) ?? 'POSITIONAL', components, ...(ttl !== undefined ? { messageSendTtlSeconds: ttl } : {}) };
}

function parseCategory(value: string): TemplateCategory {
  const upper = value.toUpperCase() as TemplateCategory;
  if (!CATEGORIES.includes(upper)) fail(100, `Param category must be one of {MARKETING, UTILITY, AUTHENTICATION} - got "${value}"`);
  return upper;
}

function parseParameterFormat(value: unknown): 'NAMED' | 'POSITIONAL' | undefined {
  if (value === undefined || value === null) return undefined;
  const upper = String(value).toUpperCase();
  if (upper !== 'NAMED' && upper !== 'POSITIONAL') fail(100, `Param parameter_format must be one of {NAMED, POSITIONAL} - got "${String(value)}"`);
  return upper;
}

function parseComponents(value: unknown, required: boolean): WireTemplateComponent[] | undefined {
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value) || value.length === 0) fail(100, 'The parameter components is required and must be a non-empty array');
  for (const [i, c] of value.entries()) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) fail(100, `components[${i}] must be an object`);
    if (typeof (c as { type?: unknown }).type !== 'string') fail(100, `components[${i}].type is required`);
    const buttons = (c as { buttons?: unknown }).buttons;
    if (buttons !== undefined && (!Array.isArray(buttons) || buttons.some((b) => !b || typeof b !== 'object'))) {
      fail(100, `components[${i}].buttons must be an array of objects`);
    }
    for (const key of ['text', 'format'] as const) {
      const v = (c as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'string') fail(100, `components[${i}].${key} must be a string`);
    }
  }
  return value as WireTemplateComponent[];
}

function parseTtl(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) fail(100, 'Param message_send_ttl_seconds must be an integer');
  return n;
}

/** After a restart (scheduled reviews are not kept): every template still PENDING is reviewed again. */
export function reviewPendingTemplates(ctx: SandboxContext): void {
  for (const t of ctx.state.templates.values()) if (t.status === 'PENDING') scheduleReview(ctx, t);
}

/** Reviews after `templateReviewDelayMs`; AUTHENTICATION (OTP) templates are decided at once. */
function scheduleReview(ctx: SandboxContext, template: Template): void {
  const state = ctx.state;
  const reviews = bookOf(state).reviews;
  cancelReview(state, template.id);
  if (template.category === 'AUTHENTICATION') {
    applyReview(ctx, state, template);
    return;
  }
  reviews.set(template.id, state.clock.schedule(state.options.templateReviewDelayMs, () => {
    reviews.delete(template.id);
    if (state.templates.get(template.id) === template && template.status === 'PENDING') applyReview(ctx, state, template);
  }));
}

function cancelReview(state: SandboxState, templateId: string): void {
  const reviews = bookOf(state).reviews;
  const timer = reviews.get(templateId);
  if (timer !== undefined) state.clock.cancel(timer);
  reviews.delete(templateId);
}

function applyReview(ctx: SandboxContext, state: SandboxState, t: Template): void {
  const existing = [...state.templates.values()].filter((o) => o.wabaId === t.wabaId && o.id !== t.id);
  const outcome = reviewTemplate(draftOf(t), existing);
  const submitted = t.category;
  t.status = outcome.status;
  t.rejectedReason = outcome.reason;
  if (outcome.status === 'APPROVED' && t.category === 'AUTHENTICATION') t.components = presetAuthenticationComponents(t.components);
  if (outcome.previousCategory) {
    t.previousCategory = outcome.previousCategory;
    t.category = outcome.category;
  }
  ctx.webhooks.emit(t.wabaId, {
    field: 'message_template_status_update',
    value: statusUpdateValue(t, outcome.status, {
      reason: outcome.reason,
      ...(outcome.rejectionInfo ? { rejection_info: outcome.rejectionInfo } : {}),
    }),
  });
  if (outcome.previousCategory) {
    ctx.webhooks.emit(t.wabaId, { field: 'template_category_update', value: categoryUpdateValue(t, submitted, t.category) });
  }
}

function draftOf(t: Template): TemplateDraft {
  return {
    name: t.name, language: t.language, category: t.category, parameterFormat: t.parameterFormat, components: t.components,
    ...(t.messageSendTtlSeconds !== undefined ? { messageSendTtlSeconds: t.messageSendTtlSeconds } : {}),
  };
}

/** DELETE ?name=… removes every language; with &hsm_id=… only that one. DISABLED can't be deleted. */
function deleteTemplates(ctx: SandboxContext, req: FastifyRequest, waba: Waba): Record<string, unknown> {
  const state = ctx.state;
  const params = paramsOf(req);
  const name = requiredString(params, 'name');
  const hsmId = optionalString(params, 'hsm_id');
  const matches = [...state.templates.values()].filter((t) => t.wabaId === waba.id && t.name === name && (hsmId === undefined || t.id === hsmId));
  if (matches.length === 0) {
    fail(100, hsmId ? `Message template ${hsmId} with name ${name} was not found` : `Message template ${name} was not found`);
  }
  const disabled = matches.find((t) => t.status === 'DISABLED');
  if (disabled) fail(100, `The message template ${name} (${disabled.language}) is disabled and can't be deleted`);
  const now = state.clock.now();
  for (const t of matches) {
    cancelReview(state, t.id);
    state.templates.delete(t.id);
    // Why: an approved template's name can't be reused for 30 days after deletion (template management doc).
    if (t.status === 'APPROVED' || t.status === 'PAUSED') state.deletedTemplateNames.set(`${waba.id}:${t.name}`, now + NAME_REUSE_MS);
    ctx.webhooks.emit(waba.id, { field: 'message_template_status_update', value: statusUpdateValue(t, 'DELETED') });
  }
  return { success: true };
}

/** GET /{template-id}?fields=… */
export function getTemplate(req: FastifyRequest, t: Template): Record<string, unknown> {
  assertWabaAccess(req, t.wabaId);
  const fields = parseFields((req.query as Record<string, unknown>).fields);
  return pickFields(templateToWire(t), fields, [...TEMPLATE_FIELDS], 'WhatsAppBusinessHSM', TEMPLATE_FIELDS);
}

const EDITABLE: readonly TemplateStatus[] = ['APPROVED', 'REJECTED', 'PAUSED'];

/**
 * POST /{template-id}: edit category, components (replaced wholesale) and TTL. Only APPROVED,
 * REJECTED or PAUSED; an approved template keeps its category and may be edited once per 24 h and
 * 10 times per 30 days. The edit goes back to review.
 * https://developers.facebook.com/docs/whatsapp/business-management-api/manage-templates#edit-a-message-template
 */
export function editTemplate(ctx: SandboxContext, req: FastifyRequest, t: Template): Record<string, unknown> {
  assertWabaAccess(req, t.wabaId);
  const body = jsonBody(req);
  for (const key of ['name', 'language']) if (body[key] !== undefined) fail(100, `Param ${key} can't be edited; only category, components and message_send_ttl_seconds can change`);
  const category = body.category === undefined ? undefined : parseCategory(String(body.category));
  const components = parseComponents(body.components, false);
  const ttl = parseTtl(body.message_send_ttl_seconds);
  const format = parseParameterFormat(body.parameter_format);
  if (category === undefined && components === undefined && ttl === undefined && format === undefined) {
    fail(100, 'Nothing to edit: pass category, components or message_send_ttl_seconds');
  }
  if (!EDITABLE.includes(t.status)) {
    templateError(2388039, 'Message template status cannot be changed', `A template with status ${t.status} can't be edited; only APPROVED, REJECTED or PAUSED templates can.`);
  }
  const now = ctx.state.clock.now();
  if (t.status === 'APPROVED') assertApprovedEditAllowed(t, category, now);
  const draft: TemplateDraft = {
    ...draftOf(t), ...(category ? { category } : {}), ...(components ? { components } : {}),
    ...(format ? { parameterFormat: format } : {}), ...(ttl !== undefined ? { messageSendTtlSeconds: ttl } : {}),
  };
  assertNoSyncProblem(draft);
  if (t.status === 'APPROVED') t.approvedEdits = [...t.approvedEdits.filter((at) => at > now - 30 * DAY_MS), now];
  Object.assign(t, { category: draft.category, components: draft.components, parameterFormat: draft.parameterFormat, status: 'PENDING', rejectedReason: 'NONE' });
  if (draft.messageSendTtlSeconds !== undefined) t.messageSendTtlSeconds = draft.messageSendTtlSeconds;
  delete t.pausedUntil;
  scheduleReview(ctx, t);
  return { success: true };
}

function assertApprovedEditAllowed(t: Template, category: TemplateCategory | undefined, now: number): void {
  if (category !== undefined && category !== t.category) fail(100, `The category of an approved template can't be changed (it is ${t.category})`);
  const lastDay = t.approvedEdits.filter((at) => at > now - DAY_MS).length;
  const last30 = t.approvedEdits.filter((at) => at > now - 30 * DAY_MS).length;
  if (lastDay >= APPROVED_EDITS_PER_DAY) fail(100, 'An approved template can be edited once in 24 hours; try again later');
  if (last30 >= APPROVED_EDITS_PER_30_DAYS) fail(100, 'An approved template can be edited 10 times in 30 days; try again later');
}
