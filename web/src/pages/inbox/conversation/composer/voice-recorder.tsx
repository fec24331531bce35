// Voice notes: recorded with MediaRecorder as OGG/Opus where the browser can (Firefox), else as
// WebM/Opus (Chromium) whose Opus packets are copied into OGG (webm-to-ogg.ts), which is what
// WhatsApp plays as a voice note. A browser with neither (Safari: MP4/AAC) sends an audio file, and says so.

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useT } from '../../../../i18n/i18n.js';
import type { PickedFile } from './attachment.js';
import { webmOpusToOgg } from './webm-to-ogg.js';
import styles from './composer-extras.module.css';

const FORMATS = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/mp4'] as const;

function recorderFormat(): (typeof FORMATS)[number] | null {
  if (typeof MediaRecorder === 'undefined') return null;
  return FORMATS.find((f) => MediaRecorder.isTypeSupported(f)) ?? null;
}

/** The recording as a file WhatsApp takes, and a note when it is not a voice note. */
async function toPicked(blob: Blob, format: (typeof FORMATS)[number], t: (k: string) => string): Promise<PickedFile | string> {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  if (format === 'audio/ogg;codecs=opus') return { blob: new Blob([blob], { type: 'audio/ogg' }), name: `voice-${stamp}.ogg`, kind: 'audio', mimeType: 'audio/ogg', voice: true };
  if (format === 'audio/webm;codecs=opus') {
    const ogg = webmOpusToOgg(new Uint8Array(await blob.arrayBuffer()));
    if (!ogg) return t('composer.voice.empty');
    return { blob: new Blob([ogg as BlobPart], { type: 'audio/ogg' }), name: `voice-${stamp}.ogg`, kind: 'audio', mimeType: 'audio/ogg', voice: true, note: t('composer.voice.converted') };
  }
  return { blob: new Blob([blob], { type: 'audio/mp4' }), name: `voice-${stamp}.m4a`, kind: 'audio', mimeType: 'audio/mp4', voice: false, note: t('composer.voice.asFile') };
}

const clock = (ms: number) => `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;

export function VoiceRecorder(props: { onRecorded: (file: PickedFile) => void; onProblem: (text: string) => void; disabled?: boolean }): ReactNode {
  const t = useT();
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  const rec = useRef<{ recorder: MediaRecorder; stream: MediaStream; chunks: Blob[]; keep: boolean } | null>(null);
  const format = recorderFormat();

  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [startedAt]);
  useEffect(() => () => { rec.current?.stream.getTracks().forEach((tr) => tr.stop()); }, []);

  const start = async () => {
    if (!format || !navigator.mediaDevices?.getUserMedia) {
      props.onProblem(t('composer.voice.unsupported'));
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
    } catch (err) {
      props.onProblem(t((err as Error).name === 'NotAllowedError' ? 'composer.voice.denied' : 'composer.voice.noMicrophone'));
      return;
    }
    const recorder = new MediaRecorder(stream, { mimeType: format, audioBitsPerSecond: 32000 });
    const state = { recorder, stream, chunks: [] as Blob[], keep: false };
    recorder.ondataavailable = (e) => { if (e.data.size > 0) state.chunks.push(e.data); };
    recorder.onstop = () => {
      stream.getTracks().forEach((tr) => tr.stop());
      rec.current = null;
      setStartedAt(null);
      if (!state.keep) return;
      void toPicked(new Blob(state.chunks, { type: format }), format, t).then((r) => (typeof r === 'string' ? props.onProblem(r) : props.onRecorded(r)));
    };
    rec.current = state;
    recorder.start(250);
    setStartedAt(Date.now());
    setNow(Date.now());
  };

  const stop = (keep: boolean) => {
    const r = rec.current;
    if (!r) return;
    r.keep = keep;
    r.recorder.stop();
  };

  if (startedAt === null) {
    return (
      <button type="button" className={styles.tool} onClick={() => void start()} disabled={props.disabled}
        aria-label={t('composer.voice.record')} title={t('composer.voice.record')}>
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round">
          <path d="M8 1.5a2 2 0 0 0-2 2v4a2 2 0 0 0 4 0v-4a2 2 0 0 0-2-2zM4.5 7.5a3.5 3.5 0 0 0 7 0M8 11v3M5.5 14h5" />
        </svg>
      </button>
    );
  }
  return (
    <div className={styles.recording} role="group" aria-label={t('composer.voice.recording')}>
      <span className={styles.dot} aria-hidden="true" />
      <span data-testid="voice-timer" aria-live="off">{clock(Math.max(0, now - startedAt))}</span>
      <button type="button" onClick={() => stop(false)}>{t('composer.voice.cancel')}</button>
      <button type="button" className={styles.primary} onClick={() => stop(true)}>{t('composer.voice.stop')}</button>
    </div>
  );
}
