// The timers worker: what happens when Parley's clock passes a time set earlier — snoozed
// conversations whose time has come are opened again (and shown live), idle ones are auto-resolved,
// SLA breaches escalate — and the router, which gives waiting chats of auto-routed teams to online
// agents. Each step is safe with many processes (conditional updates, the router under a lock per team).
// A nudge (deps.nudge.timers(), e.g. a customer wrote in an unassigned chat) runs the router alone soon,
// and so does an operator coming online (the presence bus, any process).

import type { Unsubscribe } from '../bus/bus.js';
import type { AppDeps } from '../http/deps.js';
import { wakeSnoozed } from '../services/conversations.js';
import { autoResolveIdle, routeWorkspace } from '../services/routing.js';
import { sendDueScheduled } from '../services/scheduled.js';
import { PRESENCE_TOPIC } from '../services/presence.js';
import { escalateBreaches } from '../services/sla.js';
import { listWorkspaces } from '../store/queries/workspaces.js';
import { PollingLoop } from './polling-loop.js';

export const TIMERS_POLL_MS = 15_000;
/** Nudged router passes start at least this far apart: a burst of messages costs one pass, not one each. */
export const ROUTE_GAP_MS = 200;

export class TimersWorker {
  private readonly loop: PollingLoop;
  private routing: Promise<void> | undefined;
  private routeAgain = false;
  private routeTimer: NodeJS.Timeout | undefined;
  private lastRouteAt = 0;
  private presence: Promise<Unsubscribe | undefined> | undefined;

  constructor(private readonly deps: AppDeps, pollMs = TIMERS_POLL_MS) {
    this.loop = new PollingLoop('timers', () => this.runOnce(), pollMs, deps.logger);
  }

  start(): void {
    this.loop.start();
    // Someone came online: the chats waiting for them need not wait for the next pass.
    this.presence ??= this.deps.bus.subscribe(PRESENCE_TOPIC, (event) => {
      const e = event as { kind?: string; status?: string };
      if (e.kind === 'state' && e.status === 'online') this.nudgeRouting();
    }).catch((err: unknown) => {
      this.deps.logger.warn({ err }, 'routing does not hear presence changes; it routes on the timer');
      return undefined;
    });
  }

  async stop(): Promise<void> {
    if (this.routeTimer) clearTimeout(this.routeTimer);
    this.routeTimer = undefined;
    await this.loop.stop();
    await (await this.presence)?.().catch(() => undefined);
    this.presence = undefined;
    await this.routing;
  }

  notify(): void { this.loop.notify(); }

  /** Routes soon (one pass at a time, ROUTE_GAP_MS apart; a nudge during a pass runs one more after it). */
  nudgeRouting(): void {
    if (!this.loop.active) return;
    if (this.routing) { this.routeAgain = true; return; }
    if (this.routeTimer) return;
    const wait = Math.max(0, this.lastRouteAt + ROUTE_GAP_MS - Date.now());
    this.routeTimer = setTimeout(() => {
      this.routeTimer = undefined;
      this.routing = this.routeNudged();
    }, wait);
    this.routeTimer.unref();
  }

  private async routeNudged(): Promise<void> {
    try {
      await this.routeOnce();
    } catch (err) {
      this.deps.logger.error({ err, worker: 'timers' }, 'routing pass failed; the next pass retries');
    } finally {
      this.lastRouteAt = Date.now();
      this.routing = undefined;
      if (this.routeAgain) {
        this.routeAgain = false;
        this.nudgeRouting();
      }
    }
  }

  /**
   * Sends what is due to be sent later, then wakes what is due in every workspace and routes; returns 0
   * so the loop waits (what it did is done). A step failing for one workspace is logged and the others go on.
   */
  async runOnce(): Promise<number> {
    // Send later first: a customer was promised a time (services/scheduled.ts).
    await this.step('scheduled messages', async () => {
      const scheduled = await sendDueScheduled(this.deps);
      if (scheduled > 0) this.deps.logger.info({ scheduled }, 'scheduled messages handled');
    });
    for (const workspace of await listWorkspaces(this.deps.database.db)) {
      await this.step('workspace timers', async () => {
        const woken = await wakeSnoozed(this.deps, workspace.id);
        if (woken > 0) this.deps.logger.info({ workspaceId: workspace.id, woken }, 'snoozed conversations reopened');
        const resolved = await autoResolveIdle(this.deps, workspace.id);
        if (resolved > 0) this.deps.logger.info({ workspaceId: workspace.id, resolved }, 'idle conversations auto-resolved');
        const breached = await escalateBreaches(this.deps, workspace.id);
        if (breached > 0) this.deps.logger.info({ workspaceId: workspace.id, breached }, 'SLA breaches escalated');
        await this.routeWorkspace(workspace.id);
      }, workspace.id);
    }
    return 0;
  }

  private async step(what: string, run: () => Promise<void>, workspaceId?: string): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.deps.logger.error({ err, worker: 'timers', ...(workspaceId ? { workspaceId } : {}) }, `${what} failed; the next pass retries`);
    }
  }

  /** The router alone, over every workspace; returns how many chats it gave. */
  async routeOnce(): Promise<number> {
    let given = 0;
    for (const workspace of await listWorkspaces(this.deps.database.db)) given += await this.routeWorkspace(workspace.id);
    return given;
  }

  private async routeWorkspace(workspaceId: string): Promise<number> {
    const given = await routeWorkspace(this.deps, workspaceId);
    if (given > 0) this.deps.logger.info({ workspaceId, given }, 'waiting conversations assigned by the router');
    return given;
  }
}
