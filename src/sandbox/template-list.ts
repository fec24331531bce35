// Templates on Meta's wire, and GET /{waba-id}/message_templates: filters (name, status, category,
// language, name_or_content), `fields`, `limit` and before/after cursor paging.
// https://developers.facebook.com/docs/graph-api/results (cursor-based pagination)

import type { TemplateStatus } from '../cloudapi/wire.js';
import { fail } from './graph-errors.js';
import { limitParam, optionalString, parseFields, pickFields } from './management-input.js';
import type { SandboxState, Template } from './state.js';
import { contentText } from './template-review.js';

export const TEMPLATE_FIELDS = [
  'name', 'parameter_format', 'components', 'language', 'status', 'category', 'previous_category',
  'id', 'quality_score', 'rejected_reason', 'message_send_ttl_seconds', 'sub_category',
] as const;

/** Fields the list returns when `fields` is not given (Meta's default selection). */
const LIST_DEFAULT_FIELDS = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'previous_category', 'id'];
const STATUSES: readonly TemplateStatus[] = [
  'APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED', 'ARCHIVED',
];
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

export function templateToWire(t: Template): Record<string, unknown> {
  return {
    name: t.name,
    parameter_format: t.parameterFormat,
    components: t.components,
    language: t.language,
    status: t.status,
    category: t.category,
    ...(t.previousCategory ? { previous_category: t.previousCategory } : {}),
    id: t.id,
    quality_score: { score: t.quality, date: Math.floor(t.qualityAt / 1000) },
    rejected_reason: t.rejectedReason,
    ...(t.messageSendTtlSeconds !== undefined ? { message_send_ttl_seconds: t.messageSendTtlSeconds } : {}),
  };
}

/** Comma-separated, case-insensitive enum filter; unknown values are Meta's (#100). */
function enumFilter(value: string | undefined, allowed: readonly string[], key: string): Set<string> | undefined {
  if (value === undefined || value === '') return undefined;
  const wanted = value.split(',').map((v) => v.trim().toUpperCase()).filter((v) => v !== '');
  const bad = wanted.find((v) => !allowed.includes(v));
  if (bad) fail(100, `Param ${key} must be one of {${allowed.join(', ')}} - got "${bad}"`);
  return new Set(wanted);
}

function matches(t: Template, q: Record<string, unknown>, statuses?: Set<string>, categories?: Set<string>): boolean {
  const name = optionalString(q, 'name');
  const languages = optionalString(q, 'language')?.split(',').map((l) => l.trim()).filter((l) => l !== '');
  const content = optionalString(q, 'name_or_content')?.toLowerCase();
  if (name && !t.name.includes(name.toLowerCase())) return false;
  if (statuses && !statuses.has(t.status)) return false;
  if (categories && !categories.has(t.category)) return false;
  if (languages?.length && !languages.includes(t.language)) return false;
  if (content && !t.name.includes(content) && !contentText(t.components).toLowerCase().includes(content)) return false;
  return true;
}

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

export function listTemplates(state: SandboxState, wabaId: string, version: string, q: Record<string, unknown>): Record<string, unknown> {
  const statuses = enumFilter(optionalString(q, 'status'), STATUSES, 'status');
  const categories = enumFilter(optionalString(q, 'category'), ['MARKETING', 'UTILITY', 'AUTHENTICATION'], 'category');
  const fields = parseFields(q.fields);
  const limit = limitParam(q.limit, DEFAULT_LIMIT, MAX_LIMIT);
  // Newest first, ties by id, so cursors stay stable while templates are added.
  const all = [...state.templates.values()]
    .filter((t) => t.wabaId === wabaId && matches(t, q, statuses, categories))
    .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  const [start, end] = pageBounds(all, q, limit);
  const page = all.slice(start, end);
  const data = page.map((t) => pickFields(templateToWire(t), fields, LIST_DEFAULT_FIELDS, 'WhatsAppBusinessHSM', TEMPLATE_FIELDS));
  if (page.length === 0) return { data };
  const base = `${state.options.publicBaseUrl}/${version}/${wabaId}/message_templates`;
  const link = (cursorKey: 'after' | 'before', id: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (k !== 'after' && k !== 'before' && k !== 'access_token' && v !== undefined) params.set(k, String(v));
    params.set('limit', String(limit));
    params.set(cursorKey, encodeCursor(id));
    return `${base}?${params.toString()}`;
  };
  const first = page[0]!.id;
  const last = page[page.length - 1]!.id;
  return {
    data,
    paging: {
      cursors: { before: encodeCursor(first), after: encodeCursor(last) },
      ...(end < all.length ? { next: link('after', last) } : {}),
      ...(start > 0 ? { previous: link('before', first) } : {}),
    },
  };
}

function pageBounds(all: Template[], q: Record<string, unknown>, limit: number): [number, number] {
  const after = optionalString(q, 'after');
  const before = optionalString(q, 'before');
  const indexOf = (cursor: string) => {
    const i = all.findIndex((t) => t.id === decodeCursor(cursor));
    if (i === -1) fail(100, 'The cursor is not valid or points at a template that no longer matches');
    return i;
  };
  if (after) {
    const start = indexOf(after) + 1;
    return [start, Math.min(all.length, start + limit)];
  }
  if (before) {
    const end = indexOf(before);
    return [Math.max(0, end - limit), end];
  }
  return [0, Math.min(all.length, limit)];
}
