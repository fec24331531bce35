// A bus that keeps what is published until `flush()`: the live events of work done inside a
// transaction go out once it has committed, so no tab reads a change that was rolled back.

import type { Bus } from '../bus/bus.js';

export function holdingBus(bus: Bus): { bus: Bus; flush(): Promise<void> } {
  const kept: Array<[string, unknown]> = [];
  return {
    bus: { publish: async (topic, event) => { kept.push([topic, event]); }, subscribe: (topic, handler) => bus.subscribe(topic, handler), close: async () => undefined },
    async flush() { for (const [topic, event] of kept.splice(0)) await bus.publish(topic, event); },
  };
}
