// The composer: a text box (Enter sends, Shift+Enter is a new line) with the draft kept per
// conversation; the policy's refusal shown with its reason. Tools: attach a file (also by drag-and-drop
// or paste), emoji, a voice note; a reply shows its quote. With the service window closed the box gives
// way to the WhatsApp template picker.

import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../../../i18n/i18n.js';
import { usePlaceCaret } from '../../../ui/use-caret.js';
import { sendLive } from '../../../live/socket.js';
import type { Conversation, Message } from './conversation-store.js';
import { AttachmentCard, pickFile, type PickedFile } from './composer/attachment.js';
import { insertAt } from './composer/emoji.js';
import { EmojiPicker } from './composer/emoji-picker.js';
import { ACCEPT } from './composer/media-rules.js';
import { setReplyTarget, useReplyTarget } from './composer/reply-store.js';
import type { UploadedMedia } from './composer/upload.js';
import { VoiceRecorder } from './composer/voice-recorder.js';
import { summaryOf } from './message-bubble.js';
import { readDraft, sendToConversation, writeDraft, type SendContent } from './send-message.js';
import { SendProblemNotice, problemOf, type SendProblem } from './send-problem.js';
import { TemplatePicker } from './template-picker.js';
import { CannedPicker } from './canned/canned-picker.js';
import { ComposerModeToggle, NoteComposer } from './notes/note-composer.js';
import { useComposerMode } from './notes/notes-store.js';
import { ScheduledList } from './scheduled/scheduled-list.js';
import { SendLater } from './scheduled/send-later.js';
import extras from './composer/composer-extras.module.css';
import styles from './composer.module.css';

/** The quoted message above the text box while replying, with ✕ to stop replying. */
function ReplyQuote(props: { message: Message; onClear: () => void }): ReactNode {
  const t = useT();
  const m = props.message;
  return (
    <div className={extras.replyQuote} data-testid="reply-quote">
      <span className={extras.replyWho}>{t('composer.replyingTo', { who: t(m.direction === 'in' ? 'conversation.author.customer' : 'conversation.author.business') })}</span>
      <span className={extras.replyText}>{summaryOf(m)}</span>
      <button type="button" className={extras.iconButton} onClick={props.onClear} aria-label={t('composer.replyCancel')} title={t('composer.replyCancel')}>✕</button>
    </div>
  );
}

function TextComposer(props: { conversation: Conversation; onSent: (m: Message) => void }): ReactNode {
  const t = useT();
  const id = props.conversation.id;
  const [text, setText] = useState(() => readDraft(id));
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<SendProblem | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [file, setFile] = useState<PickedFile | null>(null);
  const [media, setMedia] = useState<UploadedMedia | null>(null);
  const [caption, setCaption] = useState('');
  const [dropping, setDropping] = useState(false);
  const replyTo = useReplyTarget(id);
  const box = useRef<HTMLTextAreaElement>(null);
  const placeCaret = usePlaceCaret(box, text);
  const picker = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    setText(readDraft(id));
    setProblem(null);
    setFileProblem(null);
    setFile(null);
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

  /** A chosen, dropped or pasted file: refused here when WhatsApp would not take it, else uploaded. */
  const attach = (f: File | undefined) => {
    if (!f) return;
    const picked = pickFile(f, t);
    setProblem(null);
    if (!picked.ok) {
      setFileProblem(picked.problem);
      return;
    }
    setFileProblem(null);
    setCaption('');
    setFile(picked.file);
  };
  const removeFile = () => {
    setFile(null);
    setMedia(null);
  };

  const insertEmoji = (emoji: string) => {
    const el = box.current;
    const { text: next, caret } = insertAt(text, el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length, emoji);
    placeCaret(caret);
    change(next);
  };

  const contentToSend = (): SendContent | null => {
    if (file) {
      if (!media) return null;
      const c = caption.trim();
      if (file.kind === 'audio') return { type: 'audio', mediaId: media.id, ...(file.voice ? { voice: true } : {}) };
      if (file.kind === 'document') return { type: 'document', mediaId: media.id, filename: file.name.slice(0, 240), ...(c ? { caption: c } : {}) };
      return { type: file.kind, mediaId: media.id, ...(c ? { caption: c } : {}) };
    }
    return text.trim() === '' ? null : { type: 'text', body: text };
  };

  /** What was written is on its way (sent, refused and stored, or scheduled): the box starts afresh. */
  const clearWritten = () => {
    if (file) removeFile();
    else {
      setText('');
      writeDraft(id, '');
    }
    setReplyTarget(id, null);
  };

  const send = async () => {
    const content = contentToSend();
    if (!content || sending) return;
    setSending(true);
    setProblem(null);
    const result = await sendToConversation(props.conversation, content, replyTo?.id);
    setSending(false);
    if (result.ok || result.denied) {
      if (result.ok) props.onSent(result.message);
      else if (result.message) props.onSent(result.message);
      clearWritten();
    }
    setProblem(problemOf(result));
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && replyTo) setReplyTarget(id, null);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDropping(false);
    attach(e.dataTransfer.files[0]);
  };
  const onPaste = (e: ClipboardEvent) => {
    const f = e.clipboardData.files[0];
    if (f) {
      e.preventDefault();
      attach(f);
    }
  };

  const ready = contentToSend() !== null;
  return (
    <form className={`${styles.composer} ${dropping ? extras.dropping : ''}`} onSubmit={onSubmit} aria-label={t('conversation.composer.label')}
      onDragOver={(e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); setDropping(true); } }}
      onDragLeave={() => setDropping(false)} onDrop={onDrop}>
      <ComposerModeToggle conversationId={id} />
      <ScheduledList conversationId={id} />
      <SendProblemNotice problem={problem} />
      {fileProblem && <div className={extras.problem} role="alert" data-testid="file-problem">{fileProblem}</div>}
      {replyTo && <ReplyQuote message={replyTo} onClear={() => setReplyTarget(id, null)} />}
      {file && (
        <AttachmentCard file={file} conversation={props.conversation} caption={caption} onCaption={setCaption} onReady={setMedia} onRemove={removeFile} />
      )}
      <div className={styles.row}>
        <div className={styles.tools} data-slot="composer-tools">
          <button type="button" className={extras.tool} onClick={() => picker.current?.click()} disabled={file !== null}
            aria-label={t('composer.attach')} title={t('composer.attach')}>
            <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round">
              <path d="M13 7.5l-5.3 5.3a3.2 3.2 0 0 1-4.5-4.5l5.6-5.6a2.1 2.1 0 0 1 3 3L6.2 11.3a1.1 1.1 0 0 1-1.5-1.5L9.8 4.7" />
            </svg>
          </button>
          <input ref={picker} type="file" hidden accept={ACCEPT} data-testid="file-input" tabIndex={-1} aria-hidden="true"
            onChange={(e) => { attach(e.target.files?.[0]); e.target.value = ''; }} />
          <EmojiPicker onPick={insertEmoji} />
          <VoiceRecorder disabled={file !== null} onRecorded={(f) => { setFileProblem(null); setFile(f); }} onProblem={setFileProblem} />
          <CannedPicker box={box} conversation={props.conversation} onText={(value, caret) => { placeCaret(caret); change(value); }} />
        </div>
        <textarea ref={box} className={styles.input} value={text} rows={Math.min(6, Math.max(1, text.split('\n').length))}
          placeholder={t('conversation.composer.placeholder')} aria-label={t('conversation.composer.placeholder')}
          onChange={(e) => change(e.target.value)} onKeyDown={onKeyDown} onPaste={onPaste} maxLength={4096} disabled={file !== null} />
        <SendLater conversationId={id} windowClosesAt={props.conversation.windowExpiresAt} disabled={sending || !ready}
          content={contentToSend} {...(replyTo ? { replyToMessageId: replyTo.id } : {})} onScheduled={() => { clearWritten(); setProblem(null); box.current?.focus(); }} />
        <button type="submit" className={styles.send} disabled={sending || !ready}>
          {t(sending ? 'conversation.composer.sending' : 'conversation.composer.send')}
        </button>
      </div>
      <div className={styles.hint}>{t('conversation.composer.hint')}</div>
    </form>
  );
}

export function Composer(props: { conversation: Conversation; windowOpen: boolean; onSent: (m: Message) => void }): ReactNode {
  const t = useT();
  // Private notes (N): the Reply / Note toggle; a note needs no open window.
  const mode = useComposerMode(props.conversation.id);
  if (mode === 'note') return <NoteComposer conversationId={props.conversation.id} />;
  if (props.windowOpen) return <TextComposer conversation={props.conversation} onSent={props.onSent} />;
  return (
    <section className={styles.closed} aria-label={t('conversation.template.pickerLabel')}>
      <ComposerModeToggle conversationId={props.conversation.id} />
      <ScheduledList conversationId={props.conversation.id} />
      <div className={styles.closedNotice} data-testid="window-closed">{t('conversation.composer.windowClosed')}</div>
      <TemplatePicker conversation={props.conversation} onSent={props.onSent} />
    </section>
  );
}
