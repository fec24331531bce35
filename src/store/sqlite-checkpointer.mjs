// SQLite's WAL checkpoints, run on a thread of their own (started by db.ts for a file database): a
// second connection copies committed WAL frames into the database file every `everyMs`, so
// the process's connection, on the event loop, no longer stops every ~1,000 pages to copy them and
// fsync both files itself. PASSIVE never waits for a reader or a writer, and takes only the frames
// it can. Plain JavaScript: a worker thread cannot load a TypeScript entry under tsx on Node 20.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

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
