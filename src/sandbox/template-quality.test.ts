// Template quality: scores from feedback shares, and the RED ladder — pause 3 h, unpause when the
// clock passes it, pause 6 h, then disable — with the webhooks each step emits.

import { beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock } from './clock.js';
import { seedState } from './seed.js';
import { SandboxState, type Template } from './state.js';
import { QUALITY_MIN_EVENTS, RED_SHARE, TemplateQuality, YELLOW_SHARE, scoreOf } from './template-quality.js';
import { WebhookDispatcher } from './webhooks.js';

const HOUR = 3600_000;

describe('scoreOf', () => {
  const events = (total: number, negative: number) => Array.from({ length: total }, (_, i) => ({ negative: i < negative }));
  it.each([
    ['too few events', events(QUALITY_MIN_EVENTS - 1, 5), 'UNKNOWN'],
    ['no negatives', events(40, 0), 'GREEN'],
    ['just under the yellow share', events(100, Math.ceil(YELLOW_SHARE * 100) - 1), 'GREEN'],
    ['at the yellow share', events(100, YELLOW_SHARE * 100), 'YELLOW'],
    ['just under the red share', events(100, RED_SHARE * 100 - 1), 'YELLOW'],
    ['at the red share', events(100, RED_SHARE * 100), 'RED'],
  ])('%s → %s', (_label, feedback, expected) => {
    expect(scoreOf(feedback)).toBe(expected);
  });
});

describe('TemplateQuality', () => {
  let state: SandboxState;
  let webhooks: WebhookDispatcher;
  let quality: TemplateQuality;
  let template: Template;

  beforeEach(() => {
    state = new SandboxState({}, new SandboxClock(Date.UTC(2025, 9, 1), 0));
    seedState(state);
    webhooks = new WebhookDispatcher(state);
    quality = new TemplateQuality(state, webhooks);
    template = [...state.templates.values()].find((t) => t.name === 'hello_world')!;
  });

  /** Template webhook values logged so far (the seed has no callback, so they are logged unsent). */
  async function templateEvents(field: string): Promise<Array<Record<string, unknown>>> {
    await webhooks.idle();
    return state.webhookLog
      .filter((e) => e.field === field)
      .flatMap((e) => (JSON.parse(e.body) as { entry: Array<{ changes: Array<{ value: Record<string, unknown> }> }> }).entry)
      .flatMap((entry) => entry.changes.map((c) => c.value));
  }

  function feedback(positive: number, negative: number): void {
    for (let i = 0; i < positive; i++) quality.recordFeedback(template.id, false);
    for (let i = 0; i < negative; i++) quality.recordFeedback(template.id, true);
  }

  it('goes GREEN on positive feedback, then RED, pausing 3 h with FIRST_PAUSE', async () => {
    feedback(20, 0);
    expect(template.quality).toBe('GREEN');
    feedback(0, 3);
    expect(template.quality).toBe('RED');
    expect(template.status).toBe('PAUSED');
    expect(template.pausedUntil).toBe(state.clock.now() + 3 * HOUR);
    const qualityUpdates = await templateEvents('message_template_quality_update');
    expect(qualityUpdates.map((v) => v.new_quality_score)).toEqual(['GREEN', 'YELLOW', 'RED']);
    expect(qualityUpdates[0]).toMatchObject({ previous_quality_score: 'UNKNOWN', message_template_id: Number(template.id), message_template_name: 'hello_world', message_template_language: 'en_US' });
    const statuses = await templateEvents('message_template_status_update');
    expect(statuses).toEqual([expect.objectContaining({ event: 'PAUSED', message_template_id: Number(template.id), other_info: expect.objectContaining({ title: 'FIRST_PAUSE' }) })]);
  });

  it('unpauses when the clock passes the pause (UNPAUSE) and resets quality', async () => {
    feedback(20, 3);
    expect(template.status).toBe('PAUSED');
    state.clock.advance(3 * HOUR - 1000);
    expect(template.status).toBe('PAUSED');
    state.clock.advance(1000);
    expect(template.status).toBe('APPROVED');
    expect(template.quality).toBe('UNKNOWN');
    expect(template.feedback).toEqual([]);
    const statuses = await templateEvents('message_template_status_update');
    expect(statuses.map((v) => [v.event, (v.other_info as { title: string }).title])).toEqual([['PAUSED', 'FIRST_PAUSE'], ['APPROVED', 'UNPAUSE']]);
  });

  it('refresh() applies an elapsed pause synchronously and drops the unpause timer', () => {
    feedback(20, 3);
    const timers = state.clock.pending();
    quality.refresh(template);
    expect(template.status).toBe('PAUSED');
    template.pausedUntil = state.clock.now() - 1; // as if the send path looked after the pause ended
    quality.refresh(template);
    expect(template.status).toBe('APPROVED');
    expect(template.pausedUntil).toBeUndefined();
    expect(state.clock.pending()).toBe(timers - 1);
  });

  it('pauses 6 h the second time and disables the third time', async () => {
    feedback(20, 3);
    state.clock.advance(3 * HOUR);
    feedback(20, 3);
    expect(template.status).toBe('PAUSED');
    expect(template.pausedUntil).toBe(state.clock.now() + 6 * HOUR);
    state.clock.advance(6 * HOUR - 1);
    expect(template.status).toBe('PAUSED');
    state.clock.advance(1);
    expect(template.status).toBe('APPROVED');
    feedback(20, 3);
    expect(template.status).toBe('DISABLED');
    state.clock.advance(24 * HOUR);
    expect(template.status).toBe('DISABLED');
    const titles = (await templateEvents('message_template_status_update')).map((v) => `${String(v.event)}:${(v.other_info as { title: string }).title}`);
    expect(titles).toEqual(['PAUSED:FIRST_PAUSE', 'APPROVED:UNPAUSE', 'PAUSED:SECOND_PAUSE', 'APPROVED:UNPAUSE', 'DISABLED:DISABLED']);
  });

  it('forgets feedback older than 7 days', () => {
    feedback(0, 5);
    expect(template.quality).toBe('UNKNOWN');
    state.clock.advance(8 * 24 * HOUR);
    feedback(10, 0);
    expect(template.quality).toBe('GREEN');
    expect(template.feedback).toHaveLength(10);
  });

  it('ignores feedback for unknown templates', () => {
    expect(() => quality.recordFeedback('999', true)).not.toThrow();
  });
});
