// A worker's loop: run a step until it finds no work, then wait `pollMs` (or until nudged), until
// stopped. Failures are logged and the loop goes on, so a database blip does not end a worker.
// Between busy steps it yields a turn of the event loop (setImmediate): better-sqlite3 is
// synchronous, so without it a backlog would keep HTTP from being served until it was drained.

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';

export class PollingLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly name: string,
    private readonly step: () => Promise<number>,
    private readonly pollMs: number,
    private readonly logger: FastifyBaseLogger,
  ) {}

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Ends an idle wait early (new work was just stored in this process). */
  notify(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.step();
      } catch (err) {
        this.logger.error({ err, worker: this.name }, 'worker step failed; retrying');
      }
      if (handled === 0 && this.running) await this.idle();
      else await nextTurn();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      function done(): void { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }
}
