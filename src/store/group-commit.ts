// Group commit for SQLite: transactions asked for while one is open share its COMMIT.
//
// A process has one SQLite connection, so its transactions run one after another anyway; what each
// one costs beyond its statements is the COMMIT (the WAL write of every page it dirtied): ≈ 0.3 ms,
// a third of the CPU of queueing one message through the API. Here a transaction that arrives while
// another is open waits in a queue; when the open one's work is done, the queued ones run in the
// same transaction, each inside its own SAVEPOINT (one that throws is rolled back alone and gets its
// error), until the group has run GROUP_BUDGET_MS or GROUP_MAX of them; then one COMMIT, and only
// then does each caller get its result. A group starts one event-loop turn after the first asks.
// Order is kept: the queue is first in, first out, and each sees the writes of those before it.

import { sql, type Kysely, type Transaction } from 'kysely';

/** Stop adding to an open group after this long (so nothing waits long for its commit). */
const GROUP_BUDGET_MS = 4;
const GROUP_MAX = 64;

interface Pending<DB> {
  fn: (trx: Transaction<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome<DB> = { p: Pending<DB>; ok: true; value: unknown } | { p: Pending<DB>; ok: false; error: unknown };

export class GroupCommit<DB> {
  private readonly queue: Array<Pending<DB>> = [];
  private running = false;

  constructor(private readonly db: Kysely<DB>, private readonly opts: { budgetMs: number; max: number } = { budgetMs: GROUP_BUDGET_MS, max: GROUP_MAX }) {}

  run<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // better-sqlite3 answers at once, so a transaction would run from BEGIN to COMMIT before any
        // other request could reach its own: one turn of the event loop first lets those whose I/O is
        // ready come to the queue (idle, the turn costs microseconds).
        await new Promise<void>((resolve) => setImmediate(resolve));
        await this.runGroup();
      }
    } finally {
      this.running = false;
    }
  }

  private async runGroup(): Promise<void> {
    const outcomes: Array<Outcome<DB>> = [];
    const first = this.queue.shift()!;
    /** Taken from the queue and not in outcomes yet: if the transaction breaks meanwhile, it is told too. */
    let current: Pending<DB> | undefined = first;
    try {
      await this.db.transaction().execute(async (trx) => {
        const started = performance.now();
        // The first runs bare: if it throws, the transaction (it alone) is rolled back.
        outcomes.push({ p: first, ok: true, value: await first.fn(trx) });
        current = undefined;
        while (this.queue.length > 0 && outcomes.length < this.opts.max && performance.now() - started < this.opts.budgetMs) {
          const p = this.queue.shift()!;
          current = p;
          await sql`savepoint group_commit`.execute(trx);
          try {
            const value = await p.fn(trx);
            await sql`release group_commit`.execute(trx);
            outcomes.push({ p, ok: true, value });
          } catch (error) {
            await sql`rollback to group_commit`.execute(trx);
            await sql`release group_commit`.execute(trx);
            outcomes.push({ p, ok: false, error });
          }
          current = undefined;
        }
      });
    } catch (error) {
      // The first threw (rolled back alone), or the COMMIT or a savepoint failed (SQLite may have
      // rolled the whole transaction back by itself: disk full, I/O error): nothing is stored.
      for (const o of outcomes) o.p.reject(o.ok ? error : o.error);
      current?.reject(error);
      return;
    }
    for (const o of outcomes) {
      if (o.ok) o.p.resolve(o.value);
      else o.p.reject(o.error);
    }
  }
}
