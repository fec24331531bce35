// Reactions are messages of their own on the wire; the pane shows them as chips under their target.
// Each side (customer, business) has at most one reaction per message: the latest wins, an empty
// emoji removes it. https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/reaction-messages

export interface ReactionFacts {
  id: string;
  direction: 'in' | 'out';
  type: string;
  status: string;
  content: unknown;
  wamid: string | null;
  replyToMessageId: string | null;
  createdAt: number;
}

export interface ReactionChip { emoji: string; from: 'in' | 'out' }

/** Chips per target message id (messages in time order); reactions whose target is not loaded are left out. */
export function reactionsByTarget(messages: readonly ReactionFacts[]): Map<string, ReactionChip[]> {
  const idByWamid = new Map(messages.filter((m) => m.wamid).map((m) => [m.wamid!, m.id]));
  const latest = new Map<string, Map<'in' | 'out', string | null>>();
  for (const m of messages) {
    if (m.type !== 'reaction' || m.status === 'failed' || m.status === 'denied') continue;
    const c = (m.content ?? {}) as { emoji?: unknown; targetWamid?: unknown; messageWamid?: unknown };
    const wamid = typeof c.targetWamid === 'string' ? c.targetWamid : typeof c.messageWamid === 'string' ? c.messageWamid : null;
    const target = m.replyToMessageId ?? (wamid ? idByWamid.get(wamid) : undefined);
    if (!target) continue;
    const sides = latest.get(target) ?? new Map<'in' | 'out', string | null>();
    sides.set(m.direction, typeof c.emoji === 'string' && c.emoji !== '' ? c.emoji : null);
    latest.set(target, sides);
  }
  const out = new Map<string, ReactionChip[]>();
  for (const [target, sides] of latest) {
    const chips = (['in', 'out'] as const).flatMap((from) => {
      const emoji = sides.get(from);
      return emoji ? [{ emoji, from }] : [];
    });
    if (chips.length > 0) out.set(target, chips);
  }
  return out;
}
