// Pure template review: given a submitted template and the WABA's other templates, decide what
// Meta's review would: APPROVED (possibly re-categorised UTILITY → MARKETING) or REJECTED with a
// reason. Also builds the template webhook values. No clock, no state, no I/O.
// Review rules: https://developers.facebook.com/docs/whatsapp/message-templates/guidelines

import type { TemplateCategory, TemplateStatus, WireTemplateButton, WireTemplateComponent } from '../cloudapi/wire.js';
import { componentOf, findTemplateProblems, type RejectionReason, type TemplateDraft } from './template-rules.js';

export interface ReviewOutcome {
  status: 'APPROVED' | 'REJECTED';
  category: TemplateCategory;
  /** Set when the review changed the category (UTILITY judged MARKETING). */
  previousCategory?: TemplateCategory;
  reason: 'NONE' | RejectionReason;
  /** Present for INVALID_FORMAT rejections, as in Meta's webhook. */
  rejectionInfo?: { reason: string; recommendation: string };
  /** The rule that decided a rejection or a re-categorisation. */
  rule?: string;
}

/** What the review needs to know about the WABA's other templates (duplicate check). */
export interface ExistingTemplate {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  components: WireTemplateComponent[];
}

/**
 * Reviews a template. Order: format rules (INVALID_FORMAT) → authentication content → duplicate
 * body+footer of another template (not for AUTHENTICATION) → OTP content outside AUTHENTICATION
 * (INCORRECT_CATEGORY) → promotional UTILITY approved as MARKETING (Meta's behaviour since
 * 2025-04-09, https://developers.facebook.com/docs/whatsapp/updates-to-pricing/new-template-guidelines).
 */
export function reviewTemplate(draft: TemplateDraft, existing: readonly ExistingTemplate[]): ReviewOutcome {
  const first = findTemplateProblems(draft)[0];
  if (first) return reject(draft, first.reason, first.rule, first.message, first.recommendation);
  const text = contentText(draft.components);
  if (draft.category === 'AUTHENTICATION') {
    if (looksPromotional(text)) return reject(draft, 'PROMOTIONAL', 'auth_promotional', 'Authentication templates can\'t contain promotional content.', 'Remove the promotion.');
    return approve(draft.category);
  }
  const duplicate = existing.find((t) => t.category !== 'AUTHENTICATION' && t.status !== 'REJECTED' && sameWording(t.components, draft.components));
  if (duplicate) {
    return reject(draft, 'INVALID_FORMAT', 'duplicate_content', `The body and footer duplicate the existing template ${duplicate.name} (${duplicate.language}).`, 'Change the wording or edit the existing template instead.');
  }
  if (looksLikeOneTimePasscode(text)) {
    return reject(draft, 'INCORRECT_CATEGORY', 'otp_outside_authentication', 'One-time passcodes can only be sent with AUTHENTICATION templates.', 'Create an AUTHENTICATION template.');
  }
  if (draft.category === 'UTILITY' && looksPromotional(text)) {
    return { status: 'APPROVED', category: 'MARKETING', previousCategory: 'UTILITY', reason: 'NONE', rule: 'promotional_utility' };
  }
  return approve(draft.category);
}

function approve(category: TemplateCategory): ReviewOutcome {
  return { status: 'APPROVED', category, reason: 'NONE' };
}

function reject(draft: TemplateDraft, reason: RejectionReason, rule: string, message: string, recommendation: string): ReviewOutcome {
  return {
    status: 'REJECTED', category: draft.category, reason, rule,
    ...(reason === 'INVALID_FORMAT' ? { rejectionInfo: { reason: message, recommendation } } : {}),
  };
}

/** Header, body, footer and button texts, for the content heuristics. */
export function contentText(components: readonly WireTemplateComponent[]): string {
  const parts: string[] = [];
  for (const c of components) {
    if (c.text) parts.push(c.text);
    for (const b of c.buttons ?? []) if (b.text) parts.push(b.text);
  }
  return parts.join('\n');
}

function sameWording(a: WireTemplateComponent[], b: WireTemplateComponent[]): boolean {
  const norm = (cs: WireTemplateComponent[], type: string) =>
    (componentOf({ components: cs }, type)?.text ?? '').replace(/\{\{[^{}]*\}\}/g, '{{}}').replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a, 'BODY') !== '' && norm(a, 'BODY') === norm(b, 'BODY') && norm(a, 'FOOTER') === norm(b, 'FOOTER');
}

/**
 * Promotional-content heuristic (Meta publishes none): a word from the lists below, matched at a
 * word start, case-insensitively — English: sale(s), discount(s/ed), offer(s), promo(s),
 * promotion(s), promo code, coupon(s), deal(s), clearance, cashback, black friday, cyber monday,
 * buy now, shop now, limited time, special price, free shipping, save up to, "N% off" / "% off",
 * BOGO; Russian: скидк…, акция/акции…, распродаж…, промокод…, купон…, спецпредложен…,
 * специальное предложение, выгодн…, бесплатная доставка; Spanish/Portuguese: descuento(s),
 * desconto(s), oferta(s), promoción/promoção, liquidação, rebajas, cupón/cupom.
 */
const PROMO_PATTERNS: RegExp[] = [
  /\b(?:sales?|discount(?:s|ed)?|offers?|promos?|promotions?|promo code|coupons?|deals?|clearance|cashback|black friday|cyber monday|buy now|shop now|limited[- ]time|special price|free shipping|save up to|bogo)\b/i,
  /%\s*off\b/i,
  /(?<!\p{L})(?:скидк|акци(?:я|и|ю|ей|ях|ям|ями)(?!\p{L})|распродаж|промокод|купон|спецпредложен|специальн\p{L}* предложени|выгодн|бесплатн\p{L}* доставк)/iu,
  /(?<!\p{L})(?:descuentos?|descontos?|ofertas?|promoción|promoção|liquidação|rebajas|cupón|cupom)(?!\p{L})/iu,
];

export function looksPromotional(text: string): boolean {
  return PROMO_PATTERNS.some((re) => re.test(text));
}

const OTP_PATTERNS: RegExp[] = [
  /\b(?:one[- ]time (?:pass(?:word|code)|code)|verification code|otp|passcode|security code|login code|auth(?:entication)? code)\b/i,
  /(?<!\p{L})(?:код подтверждения|одноразов\p{L}* (?:код|пароль)|код для входа)/iu,
];

export function looksLikeOneTimePasscode(text: string): boolean {
  return OTP_PATTERNS.some((re) => re.test(text));
}

/**
 * Authentication templates are stored the way Meta stores them: the preset body
 * "*{{1}}* is your verification code." (plus the security recommendation), the expiry footer, and
 * the OTP button as a URL button whose variable is the code.
 * Why: https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates
 */
export function presetAuthenticationComponents(components: readonly WireTemplateComponent[]): WireTemplateComponent[] {
  const body = componentOf({ components: [...components] }, 'BODY');
  const footer = componentOf({ components: [...components] }, 'FOOTER');
  const minutes = footer?.code_expiration_minutes;
  const out: WireTemplateComponent[] = [{
    type: 'BODY',
    text: '*{{1}}* is your verification code.' + (body?.add_security_recommendation ? ' For your security, do not share this code.' : ''),
    ...(body?.add_security_recommendation !== undefined ? { add_security_recommendation: body.add_security_recommendation } : {}),
    example: { body_text: [['123456']] },
  }];
  if (minutes !== undefined) out.push({ type: 'FOOTER', text: `This code expires in ${minutes} minutes.`, code_expiration_minutes: minutes });
  const otp = componentOf({ components: [...components] }, 'BUTTONS')?.buttons?.find((b) => String(b.type).toUpperCase() === 'OTP');
  if (otp) out.push({ type: 'BUTTONS', buttons: [otpAsUrlButton(otp, minutes ?? 10)] });
  return out;
}

function otpAsUrlButton(otp: WireTemplateButton, minutes: number): WireTemplateButton {
  const otpType = String(otp.otp_type ?? 'COPY_CODE').toUpperCase();
  const base = `https://www.whatsapp.com/otp/code/?otp_type=${otpType}&code_expiration_minutes=${minutes}&code=otp`;
  return { type: 'URL', text: otp.text ?? 'Copy code', url: `${base}{{1}}`, example: [`${base}123456`] };
}

// ---------- webhook values (field message_template_status_update and friends) ----------

export interface TemplateIdentity {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
}

/** `message_template_status_update` value; `extra` adds reason, other_info, rejection_info… */
export function statusUpdateValue(t: TemplateIdentity, event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event,
    message_template_id: Number(t.id),
    message_template_name: t.name,
    message_template_language: t.language,
    reason: 'NONE',
    message_template_category: t.category,
    ...extra,
  };
}

/** `message_template_quality_update` value. */
export function qualityUpdateValue(t: TemplateIdentity, previous: string, next: string): Record<string, unknown> {
  return {
    previous_quality_score: previous,
    new_quality_score: next,
    message_template_id: Number(t.id),
    message_template_name: t.name,
    message_template_language: t.language,
  };
}

/** `template_category_update` value for a completed change. */
export function categoryUpdateValue(t: TemplateIdentity, previous: TemplateCategory, next: TemplateCategory): Record<string, unknown> {
  return {
    message_template_id: Number(t.id),
    message_template_name: t.name,
    message_template_language: t.language,
    previous_category: previous,
    new_category: next,
  };
}
