// The timers worker: what happens when Parley's clock passes a time set earlier — snoozed
// conversations whose time has come are opened again (and shown live), and SLA breaches escalate. Each step is one update per
// workspace, safe with many processes (a row is woken by whichever update reaches it first).

import type { AppDeps } from '../http/deps.js';
import { wakeSnoozed } from '../services/conversations.js';
import { sendDueScheduled } from '../services/scheduled.js';
import { escalateBreaches } from '../services/sla.js';
import { listWorkspaces } from '../store/queries/workspaces.js';
import { PollingLoop } from './polling-loop.js';

export const TIMERS_POLL_MS = 15_000;

export class TimersWorker {
  private readonly loop: PollingLoop;

  constructor(private readonly deps: AppDeps, pollMs = TIMERS_POLL_MS) {
    this.loop = new PollingLoop('timers', () => this.runOnce(), pollMs, deps.logger);
  }

  start(): void { this.loop.start(); }
  stop(): Promise<void> { return this.loop.stop(); }
  notify(): void { this.loop.notify(); }

  /** Wakes what is due in every workspace; returns 0 so the loop waits (what it woke is done). */
  async runOnce(): Promise<number> {
    for (const workspace of await listWorkspaces(this.deps.database.db)) {
      const woken = await wakeSnoozed(this.deps, workspace.id);
      if (woken > 0) this.deps.logger.info({ workspaceId: workspace.id, woken }, 'snoozed conversations reopened');
      const breached = await escalateBreaches(this.deps, workspace.id);
      if (breached > 0) this.deps.logger.info({ workspaceId: workspace.id, breached }, 'SLA breaches escalated');
    }
    // Send later: whatever is due, in every workspace (services/scheduled.ts).
    const scheduled = await sendDueScheduled(this.deps);
    if (scheduled > 0) this.deps.logger.info({ scheduled }, 'scheduled messages handled');
    return 0;
  }
}
