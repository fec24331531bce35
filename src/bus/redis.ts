// Redis pub/sub bus for many processes: JSON messages on prefixed channels; publishing uses one
// connection and subscribing a dedicated one (a subscribed ioredis connection can't issue commands).

import { Redis, type RedisOptions } from 'ioredis';
import { encodeEvent, runHandler, type Bus, type BusErrorListener, type BusHandler, type Unsubscribe } from './bus.js';

export interface RedisBusOptions {
  /** A connection URL, or an existing client (used for publishing; not closed by `close`). */
  connection: string | Redis;
  /** Channel prefix isolating deployments and tests, e.g. `parley:bus:`. */
  prefix?: string;
  redisOptions?: RedisOptions;
  onError?: BusErrorListener;
}

export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly ownsPub: boolean;
  private readonly prefix: string;
  private readonly onError: BusErrorListener;
  private readonly channels = new Map<string, Set<BusHandler>>();
  /** Serialises SUBSCRIBE/UNSUBSCRIBE per channel so a quick unsubscribe+subscribe can't interleave. */
  private readonly pending = new Map<string, Promise<void>>();
  private closed = false;

  constructor(options: RedisBusOptions) {
    this.prefix = options.prefix ?? 'parley:bus:';
    this.onError = options.onError ?? (() => {});
    if (typeof options.connection === 'string') {
      this.pub = new Redis(options.connection, options.redisOptions ?? {});
      this.ownsPub = true;
    } else {
      this.pub = options.connection;
      this.ownsPub = false;
    }
    this.sub = this.pub.duplicate();
    this.sub.on('message', (channel: string, message: string) => this.dispatch(channel, message));
  }

  async publish(topic: string, event: unknown): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    await this.pub.publish(this.prefix + topic, encodeEvent(event));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe> {
    if (this.closed) throw new Error('bus is closed');
    const channel = this.prefix + topic;
    const entry: BusHandler = (event) => handler(event);
    let handlers = this.channels.get(channel);
    if (!handlers) this.channels.set(channel, (handlers = new Set()));
    handlers.add(entry);
    await this.sync(channel);
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      this.channels.get(channel)?.delete(entry);
      if (this.channels.get(channel)?.size === 0) this.channels.delete(channel);
      if (!this.closed) await this.sync(channel);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    await Promise.allSettled([...this.pending.values()]);
    this.sub.disconnect();
    if (this.ownsPub) await this.pub.quit();
  }

  /** Brings Redis's subscription for a channel in line with whether anyone listens, one step at a time. */
  private sync(channel: string): Promise<void> {
    const previous = this.pending.get(channel) ?? Promise.resolve();
    const next = previous.then(async () => {
      const wanted = (this.channels.get(channel)?.size ?? 0) > 0;
      if (wanted) await this.sub.subscribe(channel);
      else await this.sub.unsubscribe(channel);
    });
    const settled = next.catch(() => {});
    this.pending.set(channel, settled);
    void settled.then(() => {
      if (this.pending.get(channel) === settled) this.pending.delete(channel);
    });
    return next;
  }

  private dispatch(channel: string, message: string): void {
    const handlers = this.channels.get(channel);
    if (!handlers) return;
    const topic = channel.slice(this.prefix.length);
    for (const handler of [...handlers]) {
      // each subscriber gets its own decoded copy, like the memory bus
      let event: unknown;
      try {
        event = JSON.parse(message);
      } catch (err) {
        this.onError(err, topic);
        return;
      }
      runHandler(handler, event, topic, this.onError);
    }
  }
}
