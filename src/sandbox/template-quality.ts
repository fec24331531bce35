// Template quality from simulated customers' reactions: UNKNOWN → GREEN / YELLOW / RED, and at RED
// Meta's pausing ladder — paused 3 h, then 6 h, then disabled — with the status and quality webhooks.
// Why: https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/template-pausing

import type { QualityScore } from '../cloudapi/wire.js';
import type { SandboxState, Template } from './state.js';
import type { WebhookDispatcher } from './webhooks.js';
import { qualityUpdateValue, statusUpdateValue } from './template-review.js';

/**
 * Quality thresholds (Meta publishes none; it weighs blocks, reports and read rates over 7 days).
 * Over the feedback of the last `QUALITY_WINDOW_MS`: fewer than `QUALITY_MIN_EVENTS` events →
 * UNKNOWN (or the score stays as it was); otherwise the negative share decides:
 * < `YELLOW_SHARE` → GREEN, < `RED_SHARE` → YELLOW, else RED. A positive event is a delivered or
 * read send (`recordFeedback(id, false)`), a negative one a block or report.
 */
export const QUALITY_WINDOW_MS = 7 * 24 * 3600_000;
export const QUALITY_MIN_EVENTS = 10;
export const YELLOW_SHARE = 0.05;
export const RED_SHARE = 0.10;
/** Pause lengths for the 1st and 2nd RED; the 3rd disables the template. */
export const PAUSE_MS = [3 * 3600_000, 6 * 3600_000] as const;

export function scoreOf(feedback: ReadonlyArray<{ negative: boolean }>): QualityScore {
  if (feedback.length < QUALITY_MIN_EVENTS) return 'UNKNOWN';
  const share = feedback.filter((f) => f.negative).length / feedback.length;
  if (share >= RED_SHARE) return 'RED';
  if (share >= YELLOW_SHARE) return 'YELLOW';
  return 'GREEN';
}

export class TemplateQuality {
  private readonly unpauseTimers = new Map<string, number>();

  constructor(private readonly state: SandboxState, private readonly webhooks: WebhookDispatcher) {}

  /** A customer reacted to a template send (negative = block/report; positive = delivered/read). */
  recordFeedback(templateId: string, negative: boolean): void {
    const t = this.state.templates.get(templateId);
    if (!t) return;
    this.refresh(t);
    const now = this.state.clock.now();
    t.feedback.push({ at: now, negative });
    const since = now - QUALITY_WINDOW_MS;
    if ((t.feedback[0]?.at ?? now) < since) t.feedback = t.feedback.filter((f) => f.at >= since);
    const score = scoreOf(t.feedback);
    if (score === 'UNKNOWN' || score === t.quality) return;
    this.setQuality(t, score);
    if (score === 'RED' && t.status === 'APPROVED') this.pause(t);
  }

  /** Sync check used by the send rules: a pause whose time has passed ends now. */
  refresh(template: Template): void {
    if (template.status === 'PAUSED' && template.pausedUntil !== undefined && template.pausedUntil <= this.state.clock.now()) {
      this.unpause(template);
    }
  }

  private setQuality(t: Template, score: QualityScore): void {
    const previous = t.quality;
    t.quality = score;
    t.qualityAt = this.state.clock.now();
    this.webhooks.emit(t.wabaId, { field: 'message_template_quality_update', value: qualityUpdateValue(t, previous, score) });
  }

  /** 1st RED → paused 3 h (FIRST_PAUSE), 2nd → 6 h (SECOND_PAUSE), 3rd → DISABLED. */
  private pause(t: Template): void {
    t.pauseCount += 1;
    const now = this.state.clock.now();
    if (t.pauseCount > PAUSE_MS.length) {
      t.status = 'DISABLED';
      delete t.pausedUntil;
      this.webhooks.emit(t.wabaId, {
        field: 'message_template_status_update',
        value: statusUpdateValue(t, 'DISABLED', {
          disable_info: { disable_date: Math.floor(now / 1000) },
          other_info: { title: 'DISABLED', description: 'Your message template has been disabled because of continued low quality.' },
        }),
      });
      return;
    }
    const duration = PAUSE_MS[t.pauseCount - 1]!;
    t.status = 'PAUSED';
    t.pausedUntil = now + duration;
    const title = t.pauseCount === 1 ? 'FIRST_PAUSE' : 'SECOND_PAUSE';
    this.webhooks.emit(t.wabaId, {
      field: 'message_template_status_update',
      value: statusUpdateValue(t, 'PAUSED', {
        other_info: { title, description: `Your message template has been paused for ${duration / 3600_000} hours because of low quality.` },
      }),
    });
    const id = t.id;
    this.unpauseTimers.set(id, this.state.clock.schedule(duration, () => {
      const current = this.state.templates.get(id);
      if (current) this.refresh(current);
    }));
  }

  /** Back to APPROVED with a fresh quality record (UNPAUSE); the pause count is kept. */
  private unpause(t: Template): void {
    const timer = this.unpauseTimers.get(t.id);
    if (timer !== undefined) this.state.clock.cancel(timer);
    this.unpauseTimers.delete(t.id);
    t.status = 'APPROVED';
    delete t.pausedUntil;
    t.feedback = [];
    this.webhooks.emit(t.wabaId, {
      field: 'message_template_status_update',
      value: statusUpdateValue(t, 'APPROVED', {
        other_info: { title: 'UNPAUSE', description: 'Your message template has been unpaused and its quality rating reset.' },
      }),
    });
    if (t.quality !== 'UNKNOWN') this.setQuality(t, 'UNKNOWN');
  }
}
