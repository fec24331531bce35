// The app's one WebSocket (GET /api/v1/live, session cookie): small events to subscribers,
// reconnect with backoff, and after a reconnect a resync through GET /api/v1/changes?since=.

import { call } from '../api/auth.js';
import { loadSession } from '../session.js';

export type LiveKind = 'message.created' | 'message.updated' | 'conversation.updated' | 'typing' | 'presence' | 'viewing' | 'note.created' | 'sla.breached';
export interface LiveEvent { kind: LiveKind; conversationId?: string; messageId?: string; userId?: string; at: number; [extra: string]: unknown }
/** `next`: the `since` of the following call (a little before `now`, so rows still committing are not missed). */
export interface ChangesPage { now: number; next: number; conversations: Array<{ id: string; [k: string]: unknown }>; messages: Array<{ id: string; conversationId: string; [k: string]: unknown }>; more: boolean }
/** What subscribers get: server events, plus `resync` (what changed while disconnected) and the connection state. */
export type LiveMessage =
  | LiveEvent
  | { kind: 'hello'; now: number }
  | { kind: 'resync'; changes: ChangesPage }
  | { kind: 'connection'; connected: boolean };
export type ClientMessage =
  | { type: 'typing'; conversationId: string }
  | { type: 'viewing'; conversationId: string | null }
  | { type: 'presence'; status: 'online' | 'away' };

const listeners = new Set<(event: LiveMessage) => void>();
let socket: WebSocket | null = null;
let wanted = false;
let attempt = 0;
let lastAt: number | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastPresence: ClientMessage | null = null;
let heartbeat: ReturnType<typeof setInterval> | undefined;

/** The server marks a user away after 60 s without word: every 25 s the tab says how it is (hidden → away). */
const HEARTBEAT_MS = 25_000;
/** The server closes a socket whose session ended (signed out, disabled) with this code. */
const SESSION_ENDED = 4401;
/** The first resync reaches this far before the last event seen, for writes committed out of order. */
const RESYNC_MARGIN_MS = 5_000;

function emit(event: LiveMessage): void {
  for (const l of listeners) {
    try { l(event); } catch (err) { console.error(err); }
  }
}

/** Calls `listener` with every live message; returns the unsubscribe function. */
export function subscribeLive(listener: (event: LiveMessage) => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/** Sends a message if the socket is open (typing and viewing are worth nothing later); presence is kept and repeated. */
export function sendLive(msg: ClientMessage): void {
  if (msg.type === 'presence') {
    lastPresence = msg;
    sayPresence();
    return;
  }
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

export function isLiveConnected(): boolean {
  return socket?.readyState === WebSocket.OPEN;
}

/** 0.5 s, 1 s, 2 s … up to 30 s, with jitter so many tabs do not reconnect in step. */
export function backoffMs(n: number, random: number = Math.random()): number {
  return Math.min(30_000, 500 * 2 ** n) * (0.75 + random * 0.5);
}

/** Pages through GET /changes from `since`, each page from the previous one's `next`; items may repeat (merge by id). */
async function resync(since: number): Promise<void> {
  let from = Math.max(0, since - RESYNC_MARGIN_MS);
  for (let page = 0; page < 20; page++) {
    const res = await call<ChangesPage>('GET', `/changes?since=${encodeURIComponent(String(from))}`);
    if (!res.ok) return;
    emit({ kind: 'resync', changes: res.data });
    if (!res.data.more || res.data.next <= from) return;
    from = res.data.next;
  }
}

function presenceNow(): ClientMessage {
  const chosen = lastPresence?.type === 'presence' ? lastPresence.status : 'online';
  return { type: 'presence', status: document.visibilityState === 'visible' ? chosen : 'away' };
}

function sayPresence(): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(presenceNow()));
}

function connect(): void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    attempt = 0;
    emit({ kind: 'connection', connected: true });
    sayPresence();
  };
  ws.onmessage = (msg) => {
    let event: LiveMessage;
    try { event = JSON.parse(String(msg.data)) as LiveMessage; } catch { return; }
    if (event.kind === 'hello') {
      const since = lastAt;
      lastAt = event.now;
      if (since !== null) void resync(since);
    } else if ('at' in event && typeof event.at === 'number') lastAt = Math.max(lastAt ?? 0, event.at);
    emit(event);
  };
  ws.onclose = (close) => {
    if (socket === ws) socket = null;
    emit({ kind: 'connection', connected: false });
    if (close.code === SESSION_ENDED) {
      stopLive();
      void loadSession();
      return;
    }
    if (wanted) timer = setTimeout(connect, backoffMs(attempt++));
  };
}

export function startLive(): void {
  if (wanted) return;
  wanted = true;
  connect();
  heartbeat = setInterval(sayPresence, HEARTBEAT_MS);
  document.addEventListener('visibilitychange', sayPresence);
}

export function stopLive(): void {
  wanted = false;
  clearTimeout(timer);
  clearInterval(heartbeat);
  document.removeEventListener('visibilitychange', sayPresence);
  socket?.close();
  socket = null;
  lastAt = null;
}
