import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints of the server's SQLite file on a thread of their own. SQLite's automatic
 * checkpoint runs inside the COMMIT that fills the WAL past 1,000 pages: on the event loop, with
 * two fsyncs, ~8 ms of every request waiting behind it several times a second under load. Here a
 * worker with its own connection copies the WAL into the database (PASSIVE: no lock that a
 * writer waits for), then tries a RESTART without waiting (busy_timeout 0) so that the next
 * writer starts the WAL over instead of growing it. A RESTART that finds a writer or a reader on
 * an older snapshot gives up at once and the next pass tries again.
 *
 * The server's own connection keeps an automatic checkpoint, at SAFETY_NET_WAL_PAGES instead of
 * SQLite's 1,000, while the worker runs: should the worker fall behind or stop, the WAL still
 * stays bounded. `onRunning(false)` tells the owner to put SQLite's default back.
 */

export const CHECKPOINT_INTERVAL_MS = 1000;
/** The server connection's wal_autocheckpoint while the worker runs (~40 MiB of WAL at 4 KiB pages). */
export const SAFETY_NET_WAL_PAGES = 10_000;
/** SQLite's own default, put back when the worker is not running. */
export const DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 1000;

/**
 * One pass: the WAL's frames, how many are now in the database, whether the next writer starts
 * the WAL over. Frames are -1 when another connection was checkpointing (SQLITE_BUSY).
 */
export type CheckpointPass = { walFrames: number; checkpointed: number; restarted: boolean };

export type SqliteCheckpointer = {
  /** Runs a pass now, outside the schedule (tests). */
  runNow(): Promise<CheckpointPass>;
  stop(): Promise<void>;
};

type Reply = { type: 'ready' } | { type: 'pass'; pass: CheckpointPass } | { type: 'error'; message: string };

// The worker's CommonJS entry; `require` resolves from the working directory (the project's), as
// in argon2-workers.ts. A pass that fails ends the worker: the owner then falls back to SQLite's
// automatic checkpoint.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
} catch (e) {
  parentPort.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
function pass() {
  const copied = passive.get();
  if (copied.log <= 0) return { walFrames: 0, checkpointed: 0, restarted: false };
  const reset = restart.get();
  return { walFrames: copied.log, checkpointed: Math.max(copied.checkpointed, reset.checkpointed), restarted: reset.busy === 0 };
}
function safely(report) {
  try {
    const result = pass();
    if (report) parentPort.postMessage({ type: 'pass', pass: result });
  } catch (e) {
    if (e && e.code === 'SQLITE_BUSY') {
      if (report) parentPort.postMessage({ type: 'pass', pass: { walFrames: -1, checkpointed: -1, restarted: false } });
      return;
    }
    parentPort.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
}
const timer = setInterval(() => safely(false), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'pass') safely(true);
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ type: 'ready' });
`;

export function startSqliteCheckpointer({
  file,
  intervalMs = CHECKPOINT_INTERVAL_MS,
  onRunning,
}: {
  file: string;
  intervalMs?: number;
  /** true once the worker has its connection; false when it stops or fails. */
  onRunning: (running: boolean) => void;
}): SqliteCheckpointer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs } });
  // A checkpointer alone must not keep a process alive.
  worker.unref();
  let running = false;
  let ended = false;
  const waiting: { resolve: (p: CheckpointPass) => void; reject: (e: Error) => void }[] = [];

  const end = (error: Error) => {
    if (ended) return;
    ended = true;
    if (running) onRunning(false);
    running = false;
    for (const w of waiting.splice(0)) w.reject(error);
  };

  worker.on('message', (reply: Reply) => {
    if (reply.type === 'ready') {
      if (ended) return;
      running = true;
      onRunning(true);
    } else if (reply.type === 'pass') waiting.shift()?.resolve(reply.pass);
    else {
      console.error(`[db] the WAL checkpointer stopped: ${reply.message}; SQLite checkpoints on the server's connection again`);
      end(new Error(reply.message));
    }
  });
  worker.on('error', (e) => end(e));
  worker.on('exit', () => end(new Error('the WAL checkpointer stopped')));

  return {
    runNow: () =>
      ended
        ? Promise.reject(new Error('the WAL checkpointer is not running'))
        : new Promise((resolve, reject) => {
            waiting.push({ resolve, reject });
            worker.postMessage('pass');
          }),
    async stop() {
      if (ended) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      end(new Error('the WAL checkpointer was stopped'));
      await exited;
    },
  };
}
