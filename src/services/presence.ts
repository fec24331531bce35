// Presence of operators (online, away, offline) from their open sockets, across processes: each
// process knows its own sockets, publishes its users' changes and a periodic snapshot on the bus, and
// merges everyone's into one view. A process that stops announcing is forgotten after `expireMs`.

import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../http/deps.js';
import type { Unsubscribe } from '../bus/bus.js';
import type { PresenceStatus } from './live.js';

export const PRESENCE_TOPIC = 'presence';

export interface PresenceOptions {
  /** After the last socket closes, offline only after this (a reload or a short network cut is not "offline"). */
  graceMs: number;
  /** A socket that reported nothing for this long counts as away. */
  heartbeatMs: number;
  /** How often this process re-announces its users (and checks heartbeats). */
  announceMs: number;
  /** Another process's entries are dropped when it has not announced for this long. */
  expireMs: number;
}

export const DEFAULT_PRESENCE: PresenceOptions = { graceMs: 5_000, heartbeatMs: 60_000, announceMs: 20_000, expireMs: 60_000 };

export interface PresenceEntry { userId: string; status: Exclude<PresenceStatus, 'offline'>; since: number }
export type PresenceListener = (workspaceId: string, userId: string, status: PresenceStatus, at: number) => void;

type Key = string; // `${workspaceId} ${userId}`
interface Beat { status: 'online' | 'away'; lastBeat: number }
type BusPresence =
  | { kind: 'state'; origin: string; workspaceId: string; userId: string; status: PresenceStatus; at: number }
  | { kind: 'snapshot'; origin: string; entries: Array<[workspaceId: string, userId: string, status: 'online' | 'away']>; at: number }
  | { kind: 'hello'; origin: string; at: number };

const keyOf = (workspaceId: string, userId: string): Key => `${workspaceId} ${userId}`;
const splitKey = (key: Key): [string, string] => key.split(' ') as [string, string];
const rank = (s: PresenceStatus): number => (s === 'online' ? 2 : s === 'away' ? 1 : 0);

export class Presence {
  readonly origin = randomBytes(6).toString('hex');
  private readonly local = new Map<Key, Map<string, Beat>>();
  private readonly announced = new Map<Key, PresenceStatus>();
  private readonly graceTimers = new Map<Key, NodeJS.Timeout>();
  /** Every process's view: user → origin → (status, when that origin last said so). */
  private readonly remote = new Map<Key, Map<string, { status: PresenceStatus; seenAt: number }>>();
  private readonly effective = new Map<Key, { status: Exclude<PresenceStatus, 'offline'>; since: number }>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private closed = false;

  constructor(
    private readonly deps: Pick<AppDeps, 'bus' | 'logger' | 'now'>,
    private readonly onChange: PresenceListener,
    private readonly opts: PresenceOptions = DEFAULT_PRESENCE,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribe(PRESENCE_TOPIC, (event) => this.receive(event as BusPresence));
    this.timer = setInterval(() => this.tick(), this.opts.announceMs);
    this.timer.unref();
    this.send({ kind: 'hello', origin: this.origin, at: this.deps.now() });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const t of this.graceTimers.values()) clearTimeout(t);
    // Say goodbye so other processes need not wait for the expiry.
    for (const [key, status] of this.announced) {
      if (status === 'offline') continue;
      const [workspaceId, userId] = splitKey(key);
      await this.deps.bus.publish(PRESENCE_TOPIC, { kind: 'state', origin: this.origin, workspaceId, userId, status: 'offline', at: this.deps.now() }).catch(() => undefined);
    }
    await this.unsubscribe?.();
  }

  /** A socket opened or reported its status (`online` also counts as a heartbeat). */
  report(workspaceId: string, userId: string, socketId: string, status: 'online' | 'away'): void {
    const key = keyOf(workspaceId, userId);
    const grace = this.graceTimers.get(key);
    if (grace) { clearTimeout(grace); this.graceTimers.delete(key); }
    let sockets = this.local.get(key);
    if (!sockets) this.local.set(key, (sockets = new Map()));
    sockets.set(socketId, { status, lastBeat: this.deps.now() });
    this.announce(key);
  }

  /** Any sign of life from a socket keeps an online one online. */
  heartbeat(workspaceId: string, userId: string, socketId: string): void {
    const beat = this.local.get(keyOf(workspaceId, userId))?.get(socketId);
    if (beat) beat.lastBeat = this.deps.now();
  }

  socketClosed(workspaceId: string, userId: string, socketId: string): void {
    const key = keyOf(workspaceId, userId);
    const sockets = this.local.get(key);
    sockets?.delete(socketId);
    if (sockets && sockets.size > 0) { this.announce(key); return; }
    this.local.delete(key);
    if (this.graceTimers.has(key) || this.closed) return;
    const t = setTimeout(() => { this.graceTimers.delete(key); this.announce(key); }, this.opts.graceMs);
    t.unref();
    this.graceTimers.set(key, t);
  }

  /** Who is online or away in the workspace, as this process sees everyone's. */
  list(workspaceId: string): PresenceEntry[] {
    const out: PresenceEntry[] = [];
    for (const [key, e] of this.effective) {
      const [ws, userId] = splitKey(key);
      if (ws === workspaceId) out.push({ userId, status: e.status, since: e.since });
    }
    return out.sort((a, b) => a.userId.localeCompare(b.userId));
  }

  statusOf(workspaceId: string, userId: string): PresenceStatus {
    return this.effective.get(keyOf(workspaceId, userId))?.status ?? 'offline';
  }

  private localStatus(key: Key): PresenceStatus {
    const sockets = this.local.get(key);
    if (!sockets || sockets.size === 0) return 'offline';
    const fresh = this.deps.now() - this.opts.heartbeatMs;
    for (const beat of sockets.values()) if (beat.status === 'online' && beat.lastBeat >= fresh) return 'online';
    return 'away';
  }

  /** Publishes this process's status of a user when it changed, and applies it to the view at once. */
  private announce(key: Key): void {
    const status = this.localStatus(key);
    if ((this.announced.get(key) ?? 'offline') === status) return;
    if (status === 'offline') this.announced.delete(key); else this.announced.set(key, status);
    const [workspaceId, userId] = splitKey(key);
    const at = this.deps.now();
    this.merge(key, this.origin, status, at);
    this.send({ kind: 'state', origin: this.origin, workspaceId, userId, status, at });
  }

  private send(event: BusPresence): void {
    if (this.closed) return;
    this.deps.bus.publish(PRESENCE_TOPIC, event).catch((err: unknown) => this.deps.logger.warn({ err }, 'presence not published'));
  }

  private receive(event: BusPresence): void {
    if (!event || event.origin === this.origin) return;
    if (event.kind === 'hello') { this.sendSnapshot(); return; }
    const now = this.deps.now();
    if (event.kind === 'state') { this.merge(keyOf(event.workspaceId, event.userId), event.origin, event.status, now); return; }
    // A snapshot is the origin's whole truth: users it no longer lists are offline there.
    const listed = new Set<Key>();
    for (const [ws, userId, status] of event.entries) {
      const key = keyOf(ws, userId);
      listed.add(key);
      this.merge(key, event.origin, status, now);
    }
    for (const [key, origins] of this.remote) if (origins.has(event.origin) && !listed.has(key)) this.merge(key, event.origin, 'offline', now);
  }

  private sendSnapshot(): void {
    const entries: Array<[string, string, 'online' | 'away']> = [];
    for (const [key, status] of this.announced) if (status !== 'offline') entries.push([...splitKey(key), status]);
    this.send({ kind: 'snapshot', origin: this.origin, entries, at: this.deps.now() });
  }

  private merge(key: Key, origin: string, status: PresenceStatus, seenAt: number): void {
    let origins = this.remote.get(key);
    if (!origins) this.remote.set(key, (origins = new Map()));
    if (status === 'offline') origins.delete(origin); else origins.set(origin, { status, seenAt });
    if (origins.size === 0) this.remote.delete(key);
    this.recompute(key);
  }

  private recompute(key: Key): void {
    let best: PresenceStatus = 'offline';
    for (const o of this.remote.get(key)?.values() ?? []) if (rank(o.status) > rank(best)) best = o.status;
    const current = this.effective.get(key);
    if ((current?.status ?? 'offline') === best) return;
    const at = this.deps.now();
    if (best === 'offline') this.effective.delete(key); else this.effective.set(key, { status: best, since: at });
    const [workspaceId, userId] = splitKey(key);
    this.onChange(workspaceId, userId, best, at);
  }

  /** Heartbeat expiry (online → away), re-announcing, and forgetting processes that went quiet. */
  private tick(): void {
    for (const key of this.local.keys()) this.announce(key);
    this.sendSnapshot();
    const stale = this.deps.now() - this.opts.expireMs;
    for (const [key, origins] of this.remote) {
      for (const [origin, o] of origins) {
        if (origin !== this.origin && o.seenAt < stale) origins.delete(origin);
      }
      if (origins.size === 0) this.remote.delete(key);
      this.recompute(key);
    }
  }
}
