// The sandbox's clock and timer queue. Virtual time runs with real time (optionally faster, by
// `scale`) and can be advanced by tests, so 24-hour windows and hours of webhook retries pass in
// milliseconds. Every sandbox timer goes through `schedule` so advancing the clock fires it.

export interface ScheduledTask { id: number; dueMs: number; run: () => void }

export class SandboxClock {
  private anchorReal = Date.now();
  private anchorVirtual: number;
  private tasks: ScheduledTask[] = [];
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  /** Called after each task ran (the state store's write-behind listens: tasks change state). */
  onTaskRun: (() => void) | undefined;

  constructor(startMs: number = Date.now(), private scale = 1) {
    this.anchorVirtual = startMs;
  }

  /** Virtual now, in epoch milliseconds. */
  now(): number {
    return this.anchorVirtual + (Date.now() - this.anchorReal) * this.scale;
  }

  /** Virtual now, in epoch seconds (Meta's timestamps). */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Moves virtual time forward and runs every task that became due, in due order, each AT its due
   * time (so a task scheduling another one from "now" chains exactly, without drifting forward).
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance needs a non-negative number of milliseconds');
    const target = this.now() + ms;
    for (let task = this.tasks[0]; task && task.dueMs <= target; task = this.tasks[0]) {
      this.tasks.shift();
      if (task.dueMs > this.now()) this.jumpTo(task.dueMs);
      this.runTask(task);
    }
    if (target > this.now()) this.jumpTo(target);
    this.drain();
  }

  private runTask(task: ScheduledTask): void {
    try { task.run(); } catch { /* a task's failure must not stop the queue */ }
    this.onTaskRun?.();
  }

  private jumpTo(ms: number): void {
    this.anchorReal = Date.now();
    this.anchorVirtual = ms;
  }

  /** Sets virtual time (forward only, so scheduled work is never skipped backwards). */
  set(ms: number): void {
    const now = this.now();
    if (ms > now) this.advance(ms - now);
  }

  setScale(scale: number): void {
    const now = this.now();
    this.anchorReal = Date.now();
    this.anchorVirtual = now;
    this.scale = scale;
    this.arm();
  }

  /** Runs `run` once virtual time reaches now + delayMs. Returns an id for `cancel`. */
  schedule(delayMs: number, run: () => void): number {
    const task = { id: this.nextId++, dueMs: this.now() + Math.max(0, delayMs), run };
    // Binary search for the first task due later: equal due times keep their scheduling order.
    let lo = 0;
    let hi = this.tasks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tasks[mid]!.dueMs <= task.dueMs) lo = mid + 1; else hi = mid;
    }
    this.tasks.splice(lo, 0, task);
    // Re-arm only when this task is now the first one: timers are costly to churn under load.
    if (lo === 0) this.arm();
    return task.id;
  }

  cancel(id: number): void {
    this.tasks = this.tasks.filter((t) => t.id !== id);
  }

  pending(): number {
    return this.tasks.length;
  }

  /** Drops every scheduled task (reset / shutdown). */
  clear(): void {
    this.tasks = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.tasks.length > 0 && this.tasks[0]!.dueMs <= this.now()) {
        this.runTask(this.tasks.shift()!);
      }
    } finally {
      this.draining = false;
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.tasks[0];
    if (!first) return;
    const realDelay = Math.max(0, (first.dueMs - this.now()) / this.scale);
    // setTimeout caps at ~24.8 days; re-arming on wake handles longer waits.
    this.timer = setTimeout(() => this.drain(), Math.min(realDelay, 2 ** 31 - 1));
    this.timer.unref();
  }
}
