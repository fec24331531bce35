// The event bus: fire-and-forget fan-out of JSON events by topic (inbox live updates, counters).
// At-most-once and best-effort: durable work goes through the database, never through the bus.

export type BusHandler = (event: unknown) => void | Promise<void>;

/** Stops one subscription; idempotent. */
export type Unsubscribe = () => Promise<void>;

export interface Bus {
  /** Delivers a JSON-serialisable event to every current subscriber of the topic (in any process for Redis). */
  publish(topic: string, event: unknown): Promise<void>;
  /** Resolves once the subscription is live: events published after that are delivered. */
  subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/** Called when a handler throws or a message can't be decoded; the default ignores it. */
export type BusErrorListener = (error: unknown, topic: string) => void;

/** Runs a handler, routing sync throws and async rejections to the error listener. */
export function runHandler(handler: BusHandler, event: unknown, topic: string, onError: BusErrorListener): void {
  try {
    const out = handler(event);
    if (out instanceof Promise) out.catch((err: unknown) => onError(err, topic));
  } catch (err) {
    onError(err, topic);
  }
}

/** JSON text of an event; refuses values JSON can't carry (undefined, functions, symbols). */
export function encodeEvent(event: unknown): string {
  const json = JSON.stringify(event) as string | undefined;
  if (json === undefined) throw new TypeError('bus events must be JSON-serialisable');
  return json;
}
