// Collision and the reply lock: "Maria is viewing" / "Maria is typing…" from live events, and the
// notice shown in place of the composer when an agent's conversation belongs to someone else (the
// Reply / Note toggle stays, so a private note can still be written).

import { useT } from '../../../../i18n/i18n.js';
import { useSession } from '../../../../session.js';
import type { Conversation } from '../conversation-store.js';
import { ComposerModeToggle } from '../notes/note-composer.js';
import { othersIn, useTeamData, userName } from './team-data.js';
import styles from './actions.module.css';
import { useNow } from '../../../../ui/use-now.js';


export function Collision(props: { conversationId: string }) {
  const t = useT();
  const data = useTeamData();
  const session = useSession();
  const now = useNow(1_000);
  const me = session.status === 'signed-in' ? session.user.id : null;
  const { viewing, typing } = othersIn(data, props.conversationId, me, now);
  const name = (id: string) => userName(data, id) ?? t('team.someoneElse');
  return (
    <div className={styles.collision} role="status" aria-live="polite" data-testid="collision">
      {typing.map((u) => <span key={`t-${u}`} data-typing={u}>{t('team.typing', { name: name(u) })}</span>)}
      {viewing.map((u) => <span key={`v-${u}`} data-viewing={u}>{t('team.viewing', { name: name(u) })}</span>)}
    </div>
  );
}

/** Whether the signed-in operator may not reply here: an agent, and the conversation is someone else's. */
export function useReplyLocked(c: Pick<Conversation, 'assigneeId'>): boolean {
  const session = useSession();
  if (session.status !== 'signed-in' || session.user.role !== 'agent') return false;
  return c.assigneeId !== null && c.assigneeId !== session.user.id;
}

export function ReplyLock(props: { conversation: Conversation }) {
  const t = useT();
  const data = useTeamData();
  const c = props.conversation;
  const name = c.assignee?.name ?? userName(data, c.assigneeId) ?? t('team.someoneElse');
  return (
    <section className={styles.lock} data-testid="reply-locked" aria-label={t('team.locked', { name })}>
      {/* A private note is still anyone's to write. */}
      <ComposerModeToggle conversationId={c.id} />
      <strong>{t('team.locked', { name })}</strong>
      <span>{t('team.locked.hint', { name })}</span>
    </section>
  );
}
