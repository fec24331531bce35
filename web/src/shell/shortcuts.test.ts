// Shortcuts by physical key (event.code): the same on a Russian layout, never with Ctrl/Alt/Meta.
import { describe, expect, it } from 'vitest';
import { shortcutOf } from './shortcuts.js';

const key = (code: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  ({ code, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('shortcutOf', () => {
  it('maps keys by code whatever character the layout gives', () => {
    expect(shortcutOf(key('KeyE'))).toBe('resolve');
    expect(shortcutOf(key('KeyA'))).toBe('assignToMe');
    expect(shortcutOf(key('KeyS'))).toBe('snooze');
    expect(shortcutOf(key('KeyR'))).toBe('reply');
    expect(shortcutOf(key('KeyN'))).toBe('note');
    expect(shortcutOf(key('Slash', { shiftKey: true }))).toBe('help');
  });
  it('leaves modified keys, plain / (search) and other keys alone', () => {
    expect(shortcutOf(key('KeyE', { ctrlKey: true }))).toBeNull();
    expect(shortcutOf(key('KeyA', { metaKey: true }))).toBeNull();
    expect(shortcutOf(key('KeyS', { shiftKey: true }))).toBeNull();
    expect(shortcutOf(key('Slash'))).toBeNull();
    expect(shortcutOf(key('KeyQ'))).toBeNull();
  });
});
