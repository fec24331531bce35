// The sandbox's durable state in its own SQLite file: a versioned snapshot of what must survive a
// restart — accounts, customers (service windows, entry points, opt-outs), personas, templates,
// media, the most recent messages, the clock and the id counters. Logs and scheduled timers are
// not kept. `StatePersister` writes it behind the hot path: at most `delayMs` after a change, in one
// transaction, and on close.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { InboundRecord, Media, OutboundMessage, SandboxState } from './state.js';

export const STATE_VERSION = 1;
/** Outbound and inbound records kept (each, newest first): enough for statuses, replies and reads. */
export const KEPT_MESSAGES = 20_000;

/** Whole-map sections, stored as one JSON value each and rewritten only when they changed. */
const SECTIONS = ['apps', 'tokens', 'businesses', 'wabas', 'phoneNumbers', 'customers', 'personas', 'templates', 'deletedTemplateNames'] as const;
type Section = (typeof SECTIONS)[number];

interface Meta {
  version: number;
  /** Sandbox time and real time when saved: the clock resumes at the same offset from real time. */
  clockNow: number;
  realNow: number;
  counters: { seq: number; idCounter: number; random: number };
  nextOrd: number;
}

type Kind = 'out' | 'in';

export class StateFileError extends Error {}

/** Maps and Sets as tagged JSON, so Customer/Business/PhoneNumber round-trip unchanged. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value] };
  if (value instanceof Set) return { $set: [...value] };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { $map?: Array<[unknown, unknown]>; $set?: unknown[] };
    if (v.$map) return new Map(v.$map);
    if (v.$set) return new Set(v.$set);
  }
  return value;
}

const encode = (value: unknown): string => JSON.stringify(value, replacer);
const decode = <T>(text: string): T => JSON.parse(text, reviver) as T;

/**
 * What changes on a kept message after it was first written: every status change appends to its
 * history (customers.ts emitStatus); an inbound message only gets read. Numbers: cheap per save.
 */
const outboundMark = (m: OutboundMessage): number => m.statusHistory.length;
const inboundMark = (m: InboundRecord): number => (m.readByBusiness ? 1 : 0);

export class SandboxStateStore {
  private readonly db: Database.Database;
  /** What was last written, to write only differences: section text; message marks; media ids with bytes. */
  private sections = new Map<string, string>();
  private marks: Record<Kind, Map<string, number>> = { out: new Map(), in: new Map() };
  private mediaBytes = new Set<string>();
  private nextOrd = 1;

  constructor(readonly file: string, private readonly keep = KEPT_MESSAGES) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS sections (name TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS messages (kind TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id));
        CREATE TABLE IF NOT EXISTS media_bytes (id TEXT PRIMARY KEY, bytes BLOB NOT NULL);`);
    } catch (err) {
      throw new StateFileError(`sandbox state file ${file} cannot be opened: ${(err as Error).message} (fix or remove it, or start with SANDBOX_RESET=true)`);
    }
  }

  /** Replaces the state's durable parts with the kept ones; false when nothing is kept yet. */
  load(state: SandboxState): boolean {
    const rows = this.db.prepare('SELECT name, json FROM sections').all() as Array<{ name: string; json: string }>;
    const texts = new Map(rows.map((r) => [r.name, r.json]));
    const metaText = texts.get('meta');
    if (metaText === undefined) return false;
    const meta = decode<Meta>(metaText);
    if (meta.version !== STATE_VERSION) {
      throw new StateFileError(`sandbox state file ${this.file} has version ${meta.version}; this sandbox reads version ${STATE_VERSION} (start with SANDBOX_RESET=true to discard it)`);
    }
    for (const name of SECTIONS) {
      const text = texts.get(name);
      if (text !== undefined) (state as unknown as Record<Section, unknown>)[name] = decode(text);
    }
    this.sections = texts;
    state.media = this.loadMedia(texts.get('media'));
    this.loadMessages(state);
    state.restoreCounters(meta.counters);
    this.nextOrd = meta.nextOrd;
    state.clock.set(Math.max(meta.clockNow, Date.now() + (meta.clockNow - meta.realNow)));
    return true;
  }

  private loadMedia(text: string | undefined): Map<string, Media> {
    const media = text === undefined ? new Map<string, Omit<Media, 'bytes'>>() : decode<Map<string, Omit<Media, 'bytes'>>>(text);
    const bytes = this.db.prepare('SELECT id, bytes FROM media_bytes').all() as Array<{ id: string; bytes: Buffer }>;
    const byId = new Map(bytes.map((b) => [b.id, b.bytes]));
    const loaded = new Map<string, Media>();
    for (const [id, m] of media) loaded.set(id, { ...m, bytes: byId.get(id) ?? Buffer.alloc(0) });
    this.mediaBytes = new Set(byId.keys());
    return loaded;
  }

  private loadMessages(state: SandboxState): void {
    const rows = this.db.prepare('SELECT kind, id, json FROM messages ORDER BY ord').all() as Array<{ kind: Kind; id: string; json: string }>;
    for (const row of rows) {
      if (row.kind === 'out') {
        const m = decode<OutboundMessage>(row.json);
        state.outbound.set(row.id, m);
        this.marks.out.set(row.id, outboundMark(m));
      } else {
        const m = decode<InboundRecord>(row.json);
        state.inbound.set(row.id, m);
        this.marks.in.set(row.id, inboundMark(m));
      }
    }
  }

  /** Writes what changed since the last save, in one transaction. */
  save(state: SandboxState): void {
    const changed: Array<[string, string]> = [];
    for (const name of SECTIONS) this.collectSection(changed, name, state[name]);
    this.collectSection(changed, 'media', new Map([...state.media].map(([id, m]) => [id, { ...m, bytes: undefined }])));
    try {
      this.db.transaction(() => {
        this.saveMessages('out', state.outbound, outboundMark);
        this.saveMessages('in', state.inbound, inboundMark);
        this.saveMediaBytes(state.media);
        const put = this.db.prepare('INSERT INTO sections (name, json) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET json = excluded.json');
        for (const [name, text] of changed) put.run(name, text);
        const meta: Meta = { version: STATE_VERSION, clockNow: state.clock.now(), realNow: Date.now(), counters: state.counters(), nextOrd: this.nextOrd };
        put.run('meta', encode(meta));
      })();
    } catch (err) {
      // Rolled back: forget what we believed written, so the next save writes everything again.
      this.sections.clear();
      this.marks = { out: new Map(), in: new Map() };
      this.mediaBytes.clear();
      throw err;
    }
    for (const [name, text] of changed) this.sections.set(name, text);
  }

  private collectSection(changed: Array<[string, string]>, name: string, value: unknown): void {
    const text = encode(value);
    if (this.sections.get(name) !== text) changed.push([name, text]);
  }

  /**
   * The newest `keep` records: new ones inserted, changed ones rewritten, older ones dropped.
   * Records only ever leave a map oldest first (send-route's forgetOldest), and `marks` holds ids in
   * the order they were first written, so the dropped ones are the first of `marks`.
   */
  private saveMessages<T>(kind: Kind, records: Map<string, T>, mark: (m: T) => number): void {
    const marks = this.marks[kind];
    const upsert = this.db.prepare('INSERT INTO messages (kind, id, ord, json) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json');
    let skip = records.size - this.keep;
    for (const [id, m] of records) {
      if (skip-- > 0) continue;
      const now = mark(m);
      if (marks.get(id) === now) continue;
      upsert.run(kind, id, this.nextOrd++, encode(m));
      marks.set(id, now);
    }
    let stale = marks.size - Math.min(records.size, this.keep);
    if (stale <= 0) return;
    const remove = this.db.prepare('DELETE FROM messages WHERE kind = ? AND id = ?');
    for (const id of marks.keys()) {
      if (stale-- <= 0) break;
      remove.run(kind, id);
      marks.delete(id);
    }
  }

  /** Media bytes never change: written once per id, deleted with the media. */
  private saveMediaBytes(media: Map<string, Media>): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO media_bytes (id, bytes) VALUES (?, ?)');
    for (const [id, m] of media) {
      if (!this.mediaBytes.has(id)) { insert.run(id, m.bytes); this.mediaBytes.add(id); }
    }
    const remove = this.db.prepare('DELETE FROM media_bytes WHERE id = ?');
    for (const id of this.mediaBytes) {
      if (!media.has(id)) { remove.run(id); this.mediaBytes.delete(id); }
    }
  }

  /** Forgets everything kept (reset on purpose). */
  clear(): void {
    this.db.exec('DELETE FROM sections; DELETE FROM messages; DELETE FROM media_bytes;');
    this.sections.clear();
    this.marks = { out: new Map(), in: new Map() };
    this.mediaBytes.clear();
    this.nextOrd = 1;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Write-behind: `touch()` after a change arms one timer; the save runs `delayMs` later, off the
 * request that changed the state, and covers every change made meanwhile. A kill -9 loses at most
 * the changes of the last `delayMs` (ids stay unique anyway: see SandboxState.newWamid).
 */
export class StatePersister {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: SandboxStateStore,
    private readonly current: () => SandboxState,
    private readonly onError: (err: Error) => void,
    private readonly delayMs = 1000,
  ) {}

  readonly touch = (): void => {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  };

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    try { this.store.save(this.current()); } catch (err) { this.onError(err as Error); }
  }

  /** Restores the kept state into `state`; false when nothing is kept yet. */
  load(state: SandboxState): boolean {
    return this.store.load(state);
  }

  /** Reset on purpose: the kept state is dropped and the fresh world saved at once. */
  startOver(): void {
    this.store.clear();
    this.flush();
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.store.close();
  }
}
