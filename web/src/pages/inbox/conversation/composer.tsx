// The composer: a text box (Enter sends, Shift+Enter is a new line) with the draft kept per
// conversation; the policy's refusal shown with its reason. With the service window closed the box
// gives way to the WhatsApp template picker. A tools row is kept for attachments, voice, canned replies.

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { sendLive } from '../../../live/socket.js';
import type { Conversation, Message } from './conversation-store.js';
import { readDraft, sendToConversation, writeDraft } from './send-message.js';
import { SendProblemNotice, problemOf, type SendProblem } from './send-problem.js';
import { TemplatePicker } from './template-picker.js';
import styles from './composer.module.css';

function TextComposer(props: { conversation: Conversation; onSent: (m: Message) => void }): ReactNode {
  const t = useT();
  const id = props.conversation.id;
  const [text, setText] = useState(() => readDraft(id));
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<SendProblem | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    setText(readDraft(id));
    setProblem(null);
  }, [id]);

  const change = (value: string) => {
    setText(value);
    writeDraft(id, value);
    const now = Date.now();
    if (value !== '' && now - lastTyping.current > 3000) {
      lastTyping.current = now;
      sendLive({ type: 'typing', conversationId: id });
    }
  };

  const send = async () => {
    const body = text.trim();
    if (body === '' || sending) return;
    setSending(true);
    setProblem(null);
    const result = await sendToConversation(props.conversation, { type: 'text', body: text });
    setSending(false);
    if (result.ok || result.denied) {
      if (result.ok) props.onSent(result.message);
      else if (result.message) props.onSent(result.message);
      setText('');
      writeDraft(id, '');
    }
    setProblem(problemOf(result));
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };

  return (
    <form className={styles.composer} onSubmit={onSubmit} aria-label={t('conversation.composer.label')}>
      <SendProblemNotice problem={problem} />
      <div className={styles.row}>
        <div className={styles.tools} data-slot="composer-tools" />
        <textarea ref={box} className={styles.input} value={text} rows={Math.min(6, Math.max(1, text.split('\n').length))}
          placeholder={t('conversation.composer.placeholder')} aria-label={t('conversation.composer.placeholder')}
          onChange={(e) => change(e.target.value)} onKeyDown={onKeyDown} maxLength={4096} />
        <button type="submit" className={styles.send} disabled={sending || text.trim() === ''}>
          {t(sending ? 'conversation.composer.sending' : 'conversation.composer.send')}
        </button>
      </div>
      <div className={styles.hint}>{t('conversation.composer.hint')}</div>
    </form>
  );
}

export function Composer(props: { conversation: Conversation; windowOpen: boolean; onSent: (m: Message) => void }): ReactNode {
  const t = useT();
  if (props.windowOpen) return <TextComposer conversation={props.conversation} onSent={props.onSent} />;
  return (
    <section className={styles.closed} aria-label={t('conversation.template.pickerLabel')}>
      <div className={styles.closedNotice} data-testid="window-closed">{t('conversation.composer.windowClosed')}</div>
      <TemplatePicker conversation={props.conversation} onSent={props.onSent} />
    </section>
  );
}
