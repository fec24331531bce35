// A short list of common emoji, grouped (no library), and the six quick reactions WhatsApp offers.

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

export const EMOJI_GROUPS: ReadonlyArray<{ id: 'smileys' | 'gestures' | 'objects' | 'symbols'; emoji: readonly string[] }> = [
  { id: 'smileys', emoji: ['😀', '😃', '😄', '😁', '😅', '😂', '🙂', '😉', '😊', '😍', '😘', '😎', '🤔', '😐', '😮', '😢', '😭', '😡', '🥳', '😴'] },
  { id: 'gestures', emoji: ['👍', '👎', '👌', '✌️', '🤞', '👏', '🙌', '🙏', '🤝', '👋', '💪', '👀'] },
  { id: 'objects', emoji: ['📦', '🚚', '📅', '⏰', '📞', '📧', '💳', '🧾', '🎁', '🛒', '🏠', '🔑'] },
  { id: 'symbols', emoji: ['❤️', '💚', '💙', '⭐', '🔥', '✅', '❌', '⚠️', '❓', '❗', '💯', '🎉'] },
];

/** The text with `insert` put in place of the selection [start, end), and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  return { text: text.slice(0, a) + insert + text.slice(b), caret: a + insert.length };
}
