// A short text preview of a message's content, for list items (the conversation list shows the
// last message without a call per row). Pure: content in, at most PREVIEW_LENGTH characters out.

export const PREVIEW_LENGTH = 100;

type Json = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** The text a reader would see first; null when the content has none (a sticker, an audio). */
function textOf(type: string, c: Json): string | null {
  switch (type) {
    case 'text': return str(c['body']);
    case 'image': case 'video': case 'document': return str(c['caption']) ?? str(c['filename']);
    case 'template': return str(c['name']);
    case 'location': return str(c['name']) ?? str(c['address']);
    case 'reaction': return str(c['emoji']);
    case 'button': return str(c['text']) ?? str(c['payload']);
    case 'button_reply': case 'list_reply': return str(c['title']);
    case 'contacts': {
      const first = Array.isArray(c['contacts']) ? (c['contacts'][0] as Json | undefined) : undefined;
      const name = first && typeof first['name'] === 'object' && first['name'] !== null ? (first['name'] as Json)['formattedName'] : undefined;
      return str(name);
    }
    default: return str(c['body']) ?? str(c['text']);
  }
}

/** Whitespace collapsed, cut at PREVIEW_LENGTH code points with "…". */
export function previewOf(type: string, content: unknown): string | null {
  const text = textOf(type, typeof content === 'object' && content !== null ? (content as Json) : {});
  if (text === null) return null;
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= PREVIEW_LENGTH ? chars.join('') : `${chars.slice(0, PREVIEW_LENGTH - 1).join('')}…`;
}
