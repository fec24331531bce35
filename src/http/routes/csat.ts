// CSAT: the survey settings (anyone signed in reads them; admins and up, or an API key, replace
// them), a conversation's surveys with their answers, and the report for a period.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CSAT_LIMITS, DEFAULT_QUESTIONS, type CsatSettings } from '../../core/csat.js';
import { conversationSurveys, csatReport, readCsatSettings, saveCsatSettings } from '../../services/csat.js';
import { visibleConversationRecord } from '../../services/conversations.js';
import { requireRole } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { IdParams, described, errors } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const EpochMs = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const Language = Type.Union([Type.Literal('en'), Type.Literal('ru')], { description: 'Language of the list button and rating rows ("5 — Excellent" / "5 — Отлично")' });

const Settings = Type.Object({
  enabled: Type.Boolean({ description: 'Ask for a rating when an operator resolves a conversation (off by default)' }),
  language: Language,
  question: Type.String({
    maxLength: 8192,
    description: `The question above the 1–5 list; at most ${CSAT_LIMITS.questionMax} characters (csat_settings_invalid beyond). Built-in: "${DEFAULT_QUESTIONS.en}" / "${DEFAULT_QUESTIONS.ru}"`,
  }),
  template: Nullable(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 512 }), language: Type.String({ minLength: 2, maxLength: 16, description: 'e.g. en_US, ru' }),
  }, {
    additionalProperties: false,
    description: 'Sent instead outside the 24-hour window: an APPROVED template without variables whose quick-reply buttons start with a rating 1–5 (each tap returns the rating). null = outside the window nothing is sent (the survey records skipped: window_closed)',
  })),
}, { additionalProperties: false, $id: 'CsatSettings' });

const Survey = Type.Object({
  id: Type.String(), conversationId: Type.String(), contactId: Type.String(),
  status: Type.Union([Type.Literal('asked'), Type.Literal('answered'), Type.Literal('skipped')], { description: 'asked: sent, no answer yet; answered: rated; skipped: nothing went out (see reason)' }),
  reason: Nullable(Type.String({ description: 'Why skipped: window_closed, template_not_found, or the sending rule that refused it (e.g. contact_blocked)' })),
  channel: Nullable(Type.Union([Type.Literal('interactive'), Type.Literal('template')])),
  messageId: Nullable(Type.String({ description: 'The question as a message (GET /api/v1/messages/{id})' })),
  messageStatus: Nullable(Type.String({ description: "The question message's status (queued, sent, delivered, read, failed, denied)" })),
  askedAt: Type.Integer(), rating: Nullable(Type.Integer({ minimum: 1, maximum: 5 })), answeredAt: Nullable(Type.Integer()),
  answerMessageId: Nullable(Type.String({ description: "The customer's answer as a message" })),
}, { $id: 'CsatSurvey' });

const Report = Type.Object({
  from: Type.Integer(), to: Type.Integer(),
  asked: Type.Integer({ description: 'Surveys sent in the period (by askedAt)' }),
  answered: Type.Integer(),
  skipped: Type.Integer({ description: 'Not sent (never seen by the customer, so not in asked or responseRate, and no bar to a later survey): window closed, refused by a sending rule' }),
  skippedByReason: Type.Array(Type.Object({
    reason: Type.String({ description: 'window_closed (outside the 24-hour window, no template set), template_not_found, or the sending rule that refused it (e.g. contact_blocked)' }),
    count: Type.Integer(),
  }), { description: 'The skipped ones by reason, most first' }),
  average: Nullable(Type.Number({ description: 'Mean rating of the answered ones; null when none' })),
  distribution: Type.Object({ 1: Type.Integer(), 2: Type.Integer(), 3: Type.Integer(), 4: Type.Integer(), 5: Type.Integer() }),
  responseRate: Nullable(Type.Number({ description: 'answered / asked (0–1); null when nothing was asked' })),
}, { $id: 'CsatReport' });

export function registerCsatRoutes(api: FastifyInstance, deps: AppDeps): void {
  api.get('/csat/settings', {
    schema: {
      tags: ['csat'], summary: 'The CSAT survey settings (off, with the built-in English question, until saved)',
      response: { 200: described(Settings, 'The settings'), ...errors(401) },
    },
  }, async (req) => readCsatSettings(deps, req.workspaceId));

  api.put('/csat/settings', {
    schema: {
      tags: ['csat'], summary: 'Replace the CSAT survey settings (admin and up)', body: Settings,
      response: { 200: described(Settings, 'The settings now'), ...errors(400, 401, 403, 'csat_settings_invalid', 'csat_template_invalid') },
    },
  }, async (req) => {
    requireRole(req, 'admin');
    return saveCsatSettings(deps, req.workspaceId, req.body as CsatSettings);
  });

  api.get('/conversations/:id/csat', {
    schema: {
      tags: ['csat'], params: IdParams, summary: "The conversation's CSAT surveys, newest first (one per resolve that asked, at most one per 24 h)",
      response: { 200: described(Type.Object({ items: Type.Array(Survey) }), 'Surveys'), ...errors(401, 'conversation_not_found') },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await visibleConversationRecord(deps, req.workspaceId, req.user, id);
    return { items: await conversationSurveys(deps, req.workspaceId, id) };
  });

  api.get('/csat', {
    schema: {
      tags: ['csat'], summary: 'CSAT for a period: surveys sent, answered, average, distribution 1–5, response rate, and those skipped with why (by when asked)',
      querystring: Type.Object({
        from: Type.Optional(EpochMs('Start, inclusive (default: 30 days before to)')),
        to: Type.Optional(EpochMs('End, exclusive (default: now)')),
      }),
      response: { 200: described(Report, 'The report'), ...errors(400, 401, 'csat_range_invalid') },
    },
  }, async (req) => csatReport(deps, req.workspaceId, req.query as { from?: number; to?: number }));
}
