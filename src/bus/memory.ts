// In-process bus: same contract as the Redis bus, including JSON copies and asynchronous delivery,
// so code that works here doesn't rely on sharing object references or on synchronous handlers.

import { encodeEvent, runHandler, type Bus, type BusErrorListener, type BusHandler, type Unsubscribe } from './bus.js';

export class MemoryBus implements Bus {
  private readonly topics = new Map<string, Set<BusHandler>>();
  private readonly onError: BusErrorListener;
  private closed = false;

  constructor(options: { onError?: BusErrorListener } = {}) {
    this.onError = options.onError ?? (() => {});
  }

  async publish(topic: string, event: unknown): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    const json = encodeEvent(event);
    const handlers = this.topics.get(topic);
    if (!handlers || handlers.size === 0) return;
    for (const handler of [...handlers]) {
      // each subscriber gets its own decoded copy, as it would from Redis; none after unsubscribing
      queueMicrotask(() => {
        if (handlers.has(handler)) runHandler(handler, JSON.parse(json) as unknown, topic, this.onError);
      });
    }
  }

  async subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe> {
    if (this.closed) throw new Error('bus is closed');
    let handlers = this.topics.get(topic);
    if (!handlers) this.topics.set(topic, (handlers = new Set()));
    // wrap so the same function subscribed twice gives two independent subscriptions
    const entry: BusHandler = (event) => handler(event);
    handlers.add(entry);
    return async () => {
      handlers.delete(entry);
      if (handlers.size === 0 && this.topics.get(topic) === handlers) this.topics.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.topics.clear();
  }
}
