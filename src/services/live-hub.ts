// This process's live sockets: one bus subscription per workspace (not per socket) fanned out to
// that workspace's sockets, each event filtered by core/visibility with the socket's cached viewer;
// typing and viewing relayed (throttled, never stored), presence, keep-alive pings, slow consumers cut.

import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Unsubscribe } from '../bus/bus.js';
import { canSeeConversation, visibilityPredicate, type ConversationScope, type Viewer, type VisibilityMode } from '../core/visibility.js';
import type { AppDeps } from '../http/deps.js';
import { conversationScope } from '../store/queries/changes.js';
import { publishActivity, toLiveEvent, workspaceTopic, type BusLiveEvent, type PresenceStatus } from './live.js';
import { DEFAULT_PRESENCE, Presence, type PresenceOptions } from './presence.js';
import { sessionUserFromCookieHeader, type SessionUser } from './sessions.js';
import { viewerOf } from './visibility.js';

export interface LiveHubOptions {
  pingMs: number;
  /** A socket whose unsent data exceeds this is closed: the browser reconnects and resyncs. */
  maxBufferedBytes: number;
  /** How long a socket's viewer (role, teams, visibility mode) and session are trusted before re-reading. */
  accessTtlMs: number;
  typingThrottleMs: number;
  /** Client messages allowed per 10 s; more are dropped. */
  clientMessagesPer10s: number;
  presence: PresenceOptions;
}

export const DEFAULT_LIVE_HUB: LiveHubOptions = {
  pingMs: 25_000, maxBufferedBytes: 1024 * 1024, accessTtlMs: 30_000, typingThrottleMs: 2_000, clientMessagesPer10s: 100, presence: DEFAULT_PRESENCE,
};

interface Access { viewer: Viewer | null; mode: VisibilityMode; seesAll: boolean; at: number }

interface Client {
  id: string;
  socket: WebSocket;
  user: SessionUser;
  cookieHeader: string | undefined;
  access: Access;
  /** Bumped per access re-read (see refresh). */
  generation: number;
  alive: boolean;
  viewing: string | null;
  window: { start: number; count: number };
}

interface WorkspaceEntry {
  clients: Set<Client>;
  subscribed: Promise<Unsubscribe>;
  chain: Promise<void>;
  linger?: NodeJS.Timeout;
}

const SCOPE_TTL_MS = 60_000;
const SCOPE_CACHE_MAX = 20_000;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export class LiveHub {
  readonly presence: Presence;
  private readonly workspaces = new Map<string, WorkspaceEntry>();
  private readonly scopes = new Map<string, { scope: ConversationScope | undefined; at: number }>();
  private readonly typingSent = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private started: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: AppDeps, private readonly opts: LiveHubOptions = DEFAULT_LIVE_HUB) {
    this.presence = new Presence(deps, (ws, userId, status, at) => this.presenceChanged(ws, userId, status, at), opts.presence);
  }

  /** Idempotent; a failure (bus unreachable) is retried by the next call. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.presence.start();
      this.every(this.opts.pingMs, () => this.keepAlive());
      this.every(Math.min(10_000, this.opts.accessTtlMs), () => this.refreshStale());
    })().catch((err: unknown) => {
      this.started = undefined;
      throw err;
    });
    return this.started;
  }

  /** Takes over an upgraded socket of a signed-in operator; resolves once its events flow ('hello' sent). */
  async attach(socket: WebSocket, user: SessionUser, cookieHeader: string | undefined): Promise<void> {
    // Until the socket is registered: keep what the client already sends, notice if it goes away.
    const early: string[] = [];
    let gone = false;
    const onEarlyMessage = (data: unknown, isBinary: boolean) => { if (!isBinary && early.length < 20) early.push(String(data)); };
    const onEarlyClose = () => { gone = true; };
    socket.on('message', onEarlyMessage);
    socket.on('close', onEarlyClose);
    await this.start();
    const access = await this.readAccess(user);
    const entry = this.entryOf(user.workspaceId);
    try {
      await entry.subscribed;
    } catch (err) {
      this.deps.logger.warn({ err }, 'live subscription failed');
      if (this.workspaces.get(user.workspaceId) === entry && entry.clients.size === 0) this.workspaces.delete(user.workspaceId);
      socket.close(1011, 'live updates unavailable');
      return;
    }
    socket.off('message', onEarlyMessage);
    socket.off('close', onEarlyClose);
    if (gone || socket.readyState !== socket.OPEN || this.closed) {
      this.release(user.workspaceId, entry);
      return;
    }
    const client: Client = {
      id: randomBytes(8).toString('hex'), socket, user, cookieHeader, access,
      generation: 0, alive: true, viewing: null, window: { start: Date.now(), count: 0 },
    };
    entry.clients.add(client);
    socket.on('pong', () => { client.alive = true; });
    socket.on('message', (data, isBinary) => { if (!isBinary) this.onClientMessage(client, String(data)); });
    socket.on('close', () => this.detach(client));
    this.presence.report(user.workspaceId, user.id, client.id, 'online');
    this.sendText(client, JSON.stringify({ kind: 'hello', now: this.deps.now() }));
    for (const text of early) this.onClientMessage(client, text);
  }

  /** Sockets open in this process (all workspaces). */
  socketCount(): number {
    let n = 0;
    for (const e of this.workspaces.values()) n += e.clients.size;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    const unsubscribes: Array<Promise<Unsubscribe>> = [];
    for (const entry of this.workspaces.values()) {
      if (entry.linger) clearTimeout(entry.linger);
      for (const c of entry.clients) c.socket.close(1001, 'server shutting down');
      unsubscribes.push(entry.subscribed);
    }
    this.workspaces.clear();
    await Promise.allSettled(unsubscribes.map(async (u) => (await u)()));
    if (this.started) await this.presence.close();
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private entryOf(workspaceId: string): WorkspaceEntry {
    let entry = this.workspaces.get(workspaceId);
    if (entry) {
      if (entry.linger) { clearTimeout(entry.linger); delete entry.linger; }
      return entry;
    }
    const created: WorkspaceEntry = { clients: new Set(), chain: Promise.resolve(), subscribed: Promise.resolve(async () => undefined) };
    created.subscribed = this.deps.bus.subscribe(workspaceTopic(workspaceId), (event) => {
      // One chain per workspace keeps events in order even when one waits for a scope lookup.
      created.chain = created.chain.then(() => this.deliver(workspaceId, created, event as BusLiveEvent))
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'live event not delivered'));
    });
    this.workspaces.set(workspaceId, (entry = created));
    return entry;
  }

  private detach(client: Client): void {
    const ws = client.user.workspaceId;
    const entry = this.workspaces.get(ws);
    if (!entry?.clients.delete(client)) return;
    this.presence.socketClosed(ws, client.user.id, client.id);
    if (client.viewing !== null) void publishActivity(this.deps, ws, { kind: 'viewing', conversationId: null, userId: client.user.id, at: this.deps.now() });
    this.release(ws, entry);
  }

  /** Without sockets, the workspace's subscription is kept a little (a reload reconnects at once), then dropped. */
  private release(ws: string, entry: WorkspaceEntry): void {
    if (entry.clients.size > 0 || this.closed || entry.linger) return;
    entry.linger = setTimeout(() => {
      delete entry.linger;
      if (entry.clients.size > 0 || this.workspaces.get(ws) !== entry) return;
      this.workspaces.delete(ws);
      void entry.subscribed.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    }, 30_000);
    entry.linger.unref();
  }

  private async deliver(workspaceId: string, entry: WorkspaceEntry, event: BusLiveEvent): Promise<void> {
    if (!event || typeof event.kind !== 'string') return;
    if (event.kind === 'access.changed') {
      // Awaited: events after this one are filtered with the new access.
      await Promise.all([...entry.clients].filter((c) => !event.userIds || event.userIds.includes(c.user.id)).map((c) => this.refresh(c)));
      return;
    }
    if (event.kind === 'conversation.updated' && event.conversationId && event.scope) this.rememberScope(workspaceId, event.conversationId, event.scope);
    const text = JSON.stringify(toLiveEvent(event));
    const activity = event.kind === 'typing' || event.kind === 'viewing';
    let scope = event.scope;
    for (const c of entry.clients) {
      if (activity && c.user.id === event.userId) continue;
      if (event.userIds && !event.userIds.includes(c.user.id)) continue;
      if (event.conversationId && !c.access.seesAll) {
        // Looked up once per event (and cached), never per socket.
        scope ??= await this.scopeOf(workspaceId, event.conversationId);
        if (!scope) continue;
        const sees = canSeeConversation(c.access.viewer, c.access.mode, scope)
          || (event.previousScope !== undefined && canSeeConversation(c.access.viewer, c.access.mode, event.previousScope));
        if (!sees) continue;
      }
      this.sendText(c, text);
    }
    if (event.kind === 'viewing' && event.arrived && event.conversationId) this.answerArrival(workspaceId, entry, event.conversationId, event.userId, event.scope);
  }

  /**
   * Someone opened a conversation: this process's users already viewing it say so (once per user, not
   * as an arrival, so nobody answers back). Otherwise whoever opens it second would not know the first is there.
   */
  private answerArrival(workspaceId: string, entry: WorkspaceEntry, conversationId: string, newcomer: string | undefined, scope: ConversationScope | undefined): void {
    const answered = new Set<string>();
    for (const c of entry.clients) {
      if (c.viewing !== conversationId || c.user.id === newcomer || answered.has(c.user.id)) continue;
      answered.add(c.user.id);
      void publishActivity(this.deps, workspaceId, { kind: 'viewing', conversationId, userId: c.user.id, at: this.deps.now(), ...(scope ? { scope } : {}) });
    }
  }

  private presenceChanged(workspaceId: string, userId: string, status: PresenceStatus, at: number): void {
    const entry = this.workspaces.get(workspaceId);
    if (!entry) return;
    const text = JSON.stringify({ kind: 'presence', userId, status, at });
    for (const c of entry.clients) this.sendText(c, text);
  }

  private sendText(client: Client, text: string): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.opts.maxBufferedBytes) {
      this.deps.logger.info({ userId: client.user.id }, 'live socket too far behind; closed (the client resyncs)');
      socket.terminate();
      return;
    }
    socket.send(text);
  }

  private onClientMessage(client: Client, text: string): void {
    const now = Date.now();
    if (now - client.window.start > 10_000) client.window = { start: now, count: 0 };
    if (++client.window.count > this.opts.clientMessagesPer10s || text.length > 1024) return;
    let msg: { type?: unknown; conversationId?: unknown; status?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const { workspaceId, id: userId } = client.user;
    this.presence.heartbeat(workspaceId, userId, client.id);
    if (msg.type === 'presence' && (msg.status === 'online' || msg.status === 'away')) {
      this.presence.report(workspaceId, userId, client.id, msg.status);
    } else if (msg.type === 'typing' && typeof msg.conversationId === 'string' && ID.test(msg.conversationId)) {
      void this.relayTyping(client, msg.conversationId);
    } else if (msg.type === 'viewing' && (msg.conversationId === null || (typeof msg.conversationId === 'string' && ID.test(msg.conversationId)))) {
      void this.relayViewing(client, msg.conversationId);
    }
  }

  private async relayTyping(client: Client, conversationId: string): Promise<void> {
    const { workspaceId, id: userId } = client.user;
    const key = `${workspaceId} ${userId} ${conversationId}`;
    const now = this.deps.now();
    const last = this.typingSent.get(key);
    if (last !== undefined && now - last < this.opts.typingThrottleMs) return;
    this.typingSent.set(key, now);
    const scope = await this.visibleScope(client, conversationId);
    if (scope) await publishActivity(this.deps, workspaceId, { kind: 'typing', conversationId, userId, at: now, scope });
  }

  private async relayViewing(client: Client, conversationId: string | null): Promise<void> {
    if (client.viewing === conversationId) return;
    const scope = conversationId === null ? undefined : await this.visibleScope(client, conversationId);
    if (conversationId !== null && !scope) return;
    client.viewing = conversationId;
    await publishActivity(this.deps, client.user.workspaceId, {
      kind: 'viewing', conversationId, userId: client.user.id, at: this.deps.now(), ...(scope ? { scope } : {}),
      ...(conversationId !== null ? { arrived: true } : {}),
    });
  }

  /** The conversation's scope if this client may see it (no probing other teams' chats by id). */
  private async visibleScope(client: Client, conversationId: string): Promise<ConversationScope | undefined> {
    const scope = await this.scopeOf(client.user.workspaceId, conversationId);
    if (!scope) return undefined;
    return client.access.seesAll || canSeeConversation(client.access.viewer, client.access.mode, scope) ? scope : undefined;
  }

  private async scopeOf(workspaceId: string, conversationId: string): Promise<ConversationScope | undefined> {
    const key = `${workspaceId} ${conversationId}`;
    const cached = this.scopes.get(key);
    if (cached && Date.now() - cached.at < SCOPE_TTL_MS) return cached.scope;
    const scope = await conversationScope(this.deps.database.db, workspaceId, conversationId);
    this.rememberScope(workspaceId, conversationId, scope);
    return scope;
  }

  private rememberScope(workspaceId: string, conversationId: string, scope: ConversationScope | undefined): void {
    const key = `${workspaceId} ${conversationId}`;
    this.scopes.delete(key);
    this.scopes.set(key, { scope, at: Date.now() });
    if (this.scopes.size > SCOPE_CACHE_MAX) this.scopes.delete(this.scopes.keys().next().value!);
  }

  private async readAccess(user: SessionUser): Promise<Access> {
    const { viewer, mode } = await viewerOf(this.deps, user);
    return { viewer, mode, seesAll: visibilityPredicate(viewer, mode) === true, at: Date.now() };
  }

  /**
   * Re-reads the session (signed out → socket closed) and the viewer (teams, role, mode). Only the
   * newest read is applied, so an older one finishing late cannot restore stale access.
   */
  private async refresh(client: Client): Promise<void> {
    const generation = ++client.generation;
    try {
      const session = await sessionUserFromCookieHeader(this.deps, client.cookieHeader);
      if (generation !== client.generation) return;
      if (!session || session.user.id !== client.user.id) {
        client.socket.close(4401, 'session ended');
        return;
      }
      const access = await this.readAccess(session.user);
      if (generation !== client.generation) return;
      client.user = session.user;
      client.access = access;
    } catch (err) {
      this.deps.logger.warn({ err }, 'live socket access not refreshed');
    }
  }

  private refreshStale(): void {
    const stale = Date.now() - this.opts.accessTtlMs;
    for (const entry of this.workspaces.values()) for (const c of entry.clients) {
      if (c.access.at >= stale) continue;
      c.access = { ...c.access, at: Date.now() }; // not again until this read is old too
      void this.refresh(c);
    }
    const typingStale = this.deps.now() - this.opts.typingThrottleMs;
    for (const [key, at] of this.typingSent) if (at < typingStale) this.typingSent.delete(key);
  }

  /** Pings every socket; one that did not answer the previous ping is dead and dropped. */
  private keepAlive(): void {
    for (const entry of this.workspaces.values()) {
      for (const c of entry.clients) {
        if (!c.alive) { c.socket.terminate(); continue; }
        c.alive = false;
        c.socket.ping();
      }
    }
  }
}

const hubs = new WeakMap<AppDeps, LiveHub>();

/** The one hub of an app (created on first use; buildApp closes it with the app). */
export function liveHubOf(deps: AppDeps, opts?: LiveHubOptions): LiveHub {
  let hub = hubs.get(deps);
  if (!hub) hubs.set(deps, (hub = new LiveHub(deps, opts)));
  return hub;
}
