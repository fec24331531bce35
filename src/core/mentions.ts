// @mentions in a private note: finds "@Name" of the workspace's people in the text (longest name
// first, case-insensitive, not inside a word), so the server stores who was mentioned and where.

export interface Mentionable { id: string; name: string }
/** `start`..`end` covers "@Name" in the note's text (UTF-16 offsets, as JavaScript strings count). */
export interface MentionSpan { userId: string; name: string; start: number; end: number }

const WORD = /[\p{L}\p{N}_]/u;

/** Every mention in `body`, in order; a name that is a prefix of a longer one loses to the longer one. */
export function findMentions(body: string, people: readonly Mentionable[]): MentionSpan[] {
  const candidates = people
    .filter((p) => p.name.trim().length > 0)
    .map((p) => ({ id: p.id, name: p.name.trim(), lower: p.name.trim().toLocaleLowerCase() }))
    .sort((a, b) => b.name.length - a.name.length);
  const lowerBody = body.toLocaleLowerCase();
  const spans: MentionSpan[] = [];
  for (let i = body.indexOf('@'); i !== -1; i = body.indexOf('@', i + 1)) {
    if (i > 0 && WORD.test(body[i - 1]!)) continue; // an e-mail address, not a mention
    const hit = candidates.find((c) => {
      if (lowerBody.length !== body.length) return body.slice(i + 1, i + 1 + c.name.length).toLocaleLowerCase() === c.lower && !WORD.test(body[i + 1 + c.name.length] ?? ' ');
      return lowerBody.startsWith(c.lower, i + 1) && !WORD.test(body[i + 1 + c.name.length] ?? ' ');
    });
    if (!hit) continue;
    const end = i + 1 + hit.name.length;
    spans.push({ userId: hit.id, name: hit.name, start: i, end });
    i = end - 1;
  }
  return spans;
}

/** The distinct user ids of `spans`, in first-mention order. */
export function mentionedUserIds(spans: readonly MentionSpan[]): string[] {
  return [...new Set(spans.map((s) => s.userId))];
}
