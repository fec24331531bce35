import { describe, expect, it } from 'vitest';
import { fromLocalInput, laterChoices, laterProblem, toLocalInput, tomorrowAtNine } from './later-choices.js';

const NOW = new Date(2026, 11, 4, 15, 30).getTime();
const HOUR = 3_600_000;

describe('send later choices', () => {
  it('offers an hour, three hours and tomorrow 9:00, each checked against the window', () => {
    const closes = NOW + 2 * HOUR;
    expect(laterChoices(NOW, closes).map((c) => [c.key, c.problem])).toEqual([['in1h', null], ['in3h', 'after_window'], ['tomorrow9', 'after_window']]);
    expect(laterChoices(NOW, NOW + 23 * HOUR).every((c) => c.problem === null)).toBe(true);
  });

  it('tomorrow at 9:00 is local time on the next day', () => {
    const d = new Date(tomorrowAtNine(NOW));
    expect([d.getDate(), d.getHours(), d.getMinutes()]).toEqual([5, 9, 0]);
  });

  it('offers a template any time within the range, window or not', () => {
    expect(laterChoices(NOW, null, true).every((c) => c.problem === null)).toBe(true);
    expect(laterProblem(NOW + 30_000, NOW, null, true)).toBe('too_soon');
  });

  it('names the problem of a chosen time as the server would refuse it', () => {
    expect(laterProblem(NOW + 30_000, NOW, NOW + HOUR)).toBe('too_soon');
    expect(laterProblem(NOW + 31 * 24 * HOUR, NOW, NOW + 40 * 24 * HOUR)).toBe('too_far');
    expect(laterProblem(NOW + HOUR, NOW, NOW + HOUR)).toBe('after_window');
    expect(laterProblem(NOW + HOUR, NOW, null)).toBe('after_window');
    expect(laterProblem(Number.NaN, NOW, NOW + HOUR)).toBe('too_soon');
  });

  it('reads and writes datetime-local values in local time', () => {
    expect(toLocalInput(NOW)).toBe('2026-12-04T15:30');
    expect(fromLocalInput('2026-12-04T15:30')).toBe(NOW);
    expect(fromLocalInput('tomorrow')).toBeNaN();
  });
});
