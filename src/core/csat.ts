// CSAT (issue 14 §6): the pure parts of asking a customer for a 1–5 rating when a conversation is
// resolved — the settings' rules, whether to ask and how, the list and template contents, and
// reading a rating back from a list reply or a template quick-reply payload.

import type { InboundContent } from './inbound-message.js';
import type { OutboundContent, TemplateContent } from './message-content.js';

export type CsatLanguage = 'en' | 'ru';
export type CsatRating = 1 | 2 | 3 | 4 | 5;
export const RATINGS: readonly CsatRating[] = [5, 4, 3, 2, 1];

export interface CsatTemplateChoice { name: string; language: string }

export interface CsatSettings {
  enabled: boolean;
  /** The language of the list's rows and button (the question is the text below, as typed). */
  language: CsatLanguage;
  question: string;
  /** Sent instead of the list outside the 24-hour window; null = nothing is sent there. */
  template: CsatTemplateChoice | null;
}

export const CSAT_LIMITS = {
  /** Meta's interactive body limit (the list page says 4096; the messages reference says 1024: the stricter one). */
  questionMax: 1024,
  /** Do not ask the same conversation again within this long (a resolve → reopen → resolve loop). */
  askAgainAfterMs: 24 * 3600_000,
} as const;

export const DEFAULT_QUESTIONS: Readonly<Record<CsatLanguage, string>> = {
  en: 'Thank you for contacting us! How would you rate our help? Please choose from 1 to 5.',
  ru: 'Спасибо за обращение! Оцените, пожалуйста, как мы вам помогли: от 1 до 5.',
};

export const DEFAULT_CSAT_SETTINGS: CsatSettings = { enabled: false, language: 'en', question: DEFAULT_QUESTIONS.en, template: null };

/** List row titles (≤ 24 characters, Meta's row limit) and the list button (≤ 20). */
const ROW_TITLES: Readonly<Record<CsatLanguage, Record<CsatRating, string>>> = {
  en: { 5: '5 — Excellent', 4: '4 — Good', 3: '3 — Okay', 2: '2 — Poor', 1: '1 — Very poor' },
  ru: { 5: '5 — Отлично', 4: '4 — Хорошо', 3: '3 — Нормально', 2: '2 — Плохо', 1: '1 — Очень плохо' },
};
const LIST_BUTTON: Readonly<Record<CsatLanguage, string>> = { en: 'Rate us', ru: 'Оценить' };

export interface CsatProblem { field: string; message: string }

/** What is wrong with settings (first problem), or null. */
export function csatSettingsProblem(s: CsatSettings): CsatProblem | null {
  const length = [...s.question].length;
  if (s.question.trim() === '') return { field: 'question', message: 'the question is empty: write what the customer is asked' };
  if (length > CSAT_LIMITS.questionMax) {
    return { field: 'question', message: `the question has ${length} characters; WhatsApp allows at most ${CSAT_LIMITS.questionMax} in an interactive message` };
  }
  if (s.template && (s.template.name.trim() === '' || s.template.language.trim() === '')) {
    return { field: 'template', message: 'a template needs its name and language' };
  }
  return null;
}

/** A template as far as CSAT needs it (Meta's component shape). */
export interface CsatTemplateFacts {
  status: string;
  components: ReadonlyArray<{ type?: unknown; format?: unknown; text?: unknown; buttons?: ReadonlyArray<{ type?: unknown; text?: unknown; url?: unknown }> }>;
}

export interface RatingButton { index: number; rating: CsatRating }

/**
 * The template's quick-reply buttons that carry a rating: those whose text starts with a digit 1–5
 * ("5 ⭐", "4 – Good"). Their payloads are set at send time to `csat:<surveyId>:<rating>`.
 */
export function ratingButtons(t: Pick<CsatTemplateFacts, 'components'>): RatingButton[] {
  const buttons = t.components.find((c) => String(c.type).toUpperCase() === 'BUTTONS')?.buttons ?? [];
  const out: RatingButton[] = [];
  buttons.forEach((b, index) => {
    const digit = /^\s*([1-5])(?!\d)/.exec(String(b.text ?? ''))?.[1];
    if (String(b.type).toUpperCase() === 'QUICK_REPLY' && digit) out.push({ index, rating: Number(digit) as CsatRating });
  });
  return out;
}

const hasPlaceholder = (text: unknown) => typeof text === 'string' && /\{\{[^{}]*\}\}/.test(text);

/**
 * Why this template cannot ask for a rating, or null. Parley sends it with no parameters, so it
 * must need none (no variables, no media header, no URL or copy-code variables), and its
 * quick-reply buttons must carry ratings, each digit once.
 */
export function csatTemplateProblem(t: CsatTemplateFacts): string | null {
  if (t.status.toUpperCase() !== 'APPROVED') return `it is ${t.status}, not APPROVED`;
  for (const c of t.components) {
    const type = String(c.type).toUpperCase();
    if (type === 'HEADER' && String(c.format ?? 'TEXT').toUpperCase() !== 'TEXT') return 'its header is media, which needs a parameter';
    if ((type === 'HEADER' || type === 'BODY') && hasPlaceholder(c.text)) return `its ${type.toLowerCase()} has variables; pick one without {{…}}`;
    for (const b of c.buttons ?? []) {
      const bt = String(b.type).toUpperCase();
      if (bt === 'COPY_CODE' || (bt === 'URL' && hasPlaceholder(b.url))) return `its ${bt} button needs a parameter`;
    }
  }
  const rated = ratingButtons(t);
  if (rated.length === 0) return 'it has no quick-reply buttons whose text starts with a rating 1–5 (e.g. "5 – Excellent")';
  if (new Set(rated.map((r) => r.rating)).size !== rated.length) return 'two of its quick-reply buttons start with the same rating';
  return null;
}

export type AskDecision =
  | { ask: false; why: 'off' | 'not_operator' | 'asked_recently' }
  | { ask: true; channel: 'interactive' | 'template' }
  | { ask: true; channel: null; skip: 'window_closed' };

/**
 * Whether to ask on this resolve: never when off or when the caller (an auto-resolve) chose not to;
 * never twice within 24 h for a conversation; inside the window a list, outside the template if
 * one is set, else a row that says why nothing was sent.
 */
export function decideAsk(f: { settings: CsatSettings; byOperator: boolean; windowOpen: boolean; lastAskedAt: number | null; now: number }): AskDecision {
  if (!f.settings.enabled) return { ask: false, why: 'off' };
  if (!f.byOperator) return { ask: false, why: 'not_operator' };
  if (f.lastAskedAt !== null && f.now - f.lastAskedAt < CSAT_LIMITS.askAgainAfterMs) return { ask: false, why: 'asked_recently' };
  if (f.windowOpen) return { ask: true, channel: 'interactive' };
  if (f.settings.template) return { ask: true, channel: 'template' };
  return { ask: true, channel: null, skip: 'window_closed' };
}

export const ratingReplyId = (surveyId: string, rating: CsatRating): string => `csat:${surveyId}:${rating}`;

/** The interactive list: the question, one row per rating (5 first), ids carrying the survey. */
export function csatListContent(surveyId: string, s: Pick<CsatSettings, 'language' | 'question'>): OutboundContent {
  return {
    type: 'list', body: s.question, buttonText: LIST_BUTTON[s.language],
    sections: [{ rows: RATINGS.map((r) => ({ id: ratingReplyId(surveyId, r), title: ROW_TITLES[s.language][r] })) }],
  };
}

/** The template with each rating button's payload set to `csat:<surveyId>:<rating>`. */
export function csatTemplateContent(surveyId: string, choice: CsatTemplateChoice, buttons: readonly RatingButton[]): TemplateContent {
  return {
    type: 'template', name: choice.name, language: choice.language,
    buttons: buttons.map((b) => ({ index: b.index, subType: 'quick_reply' as const, payload: ratingReplyId(surveyId, b.rating) })),
  };
}

const REPLY_ID = /^csat:([A-Za-z0-9_]{1,64}):([1-5])$/;

/**
 * The rating in a customer's list reply, reply button or template quick-reply payload, or null.
 * Pure and cheap: the inbound path calls it for every message; only a match costs a query.
 */
export function csatReplyOf(content: InboundContent): { surveyId: string; rating: CsatRating } | null {
  const id = content.type === 'list_reply' || content.type === 'button_reply' ? content.id : content.type === 'button' ? content.payload : null;
  if (id === null || !id.startsWith('csat:')) return null;
  const m = REPLY_ID.exec(id);
  return m ? { surveyId: m[1]!, rating: Number(m[2]) as CsatRating } : null;
}

export interface CsatSummary {
  /** Surveys actually sent in the period (asked or answered). */
  asked: number;
  answered: number;
  /** Not sent: window closed, refused by the policy, failed to queue. */
  skipped: number;
  /** The skipped ones by why (window_closed, template_not_found, a sending rule's reason), most first. */
  skippedByReason: Array<{ reason: string; count: number }>;
  /** Mean rating of the answered ones (two decimals); null when none. */
  average: number | null;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  /** answered / asked (0..1, three decimals); null when nothing was asked. */
  responseRate: number | null;
}

/**
 * The report from counts: asked (sent, unanswered), skipped per reason, and answered per rating.
 * A skipped survey was never seen by the customer, so it is not in `asked` nor in the response rate.
 */
export function summarizeCsat(counts: { asked: number; skipped: Readonly<Record<string, number>>; ratings: Partial<Record<CsatRating, number>> }): CsatSummary {
  const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Record<'1' | '2' | '3' | '4' | '5', number>;
  let answered = 0;
  let sum = 0;
  for (const r of [1, 2, 3, 4, 5] as const) {
    const n = counts.ratings[r] ?? 0;
    distribution[String(r) as '1'] = n;
    answered += n;
    sum += n * r;
  }
  const asked = counts.asked + answered;
  const skippedByReason = Object.entries(counts.skipped).filter(([, n]) => n > 0).map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return {
    asked, answered, skipped: skippedByReason.reduce((total, r) => total + r.count, 0), skippedByReason, distribution,
    average: answered === 0 ? null : Math.round((sum / answered) * 100) / 100,
    responseRate: asked === 0 ? null : Math.round((answered / asked) * 1000) / 1000,
  };
}
