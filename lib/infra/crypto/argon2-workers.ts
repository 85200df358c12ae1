import { Worker } from 'node:worker_threads';
import type { Options } from '@node-rs/argon2';

/**
 * argon2id on worker threads of our own instead of libuv's pool. Why:
 * 1. priority: on Linux each worker lowers its own thread's nice value, so the event loop (every
 *    other request) outranks hashing when both want a core. With four hashes at equal priority
 *    the event loop got a fifth of the CPU, requests piled up behind it and the cores idled while
 *    the hash queue ran dry (docs/performance-history.md, session 6);
 * 2. the libuv pool stays free for what else runs there (WebCrypto signing of tokens, fs), which
 *    otherwise waited behind 10–40 ms hashes.
 * Workers start on demand, one job at a time each (the hasher's semaphore caps how many run), and
 * end after `idleMs` without work: four of them hold ~36 MiB.
 */

/** Nice value of a hashing thread: the event loop's share is ~10× a hash's when they compete. */
export const HASH_THREAD_NICE = 10;

type Job = { op: 'hash'; password: string; options: Options } | { op: 'verify'; hash: string; password: string };
type Reply = { ok: true; value: string | boolean } | { ok: false; message: string };
type Handlers = { resolve: (v: string | boolean) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; jobs: { job: Job; handlers: Handlers }[] };

// Runs as the worker's CommonJS entry. `require` resolves from the working directory, which is
// the project's (as for the database file and the config); setPriority(0, n) is this thread's own
// on Linux, the whole process elsewhere, hence the platform check.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require('@node-rs/argon2');
if (process.platform === 'linux') {
  try { require('node:os').setPriority(0, workerData.nice); } catch {}
}
parentPort.on('message', (job) => {
  let reply;
  try {
    reply = { ok: true, value: job.op === 'hash' ? argon2.hashSync(job.password, job.options) : argon2.verifySync(job.hash, job.password) };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort.postMessage(reply);
});
`;

export type Argon2Workers = {
  hash(password: string, options: Options): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Ends the idle workers now, as the idle timer would (tests); later jobs start new ones. */
  close(): Promise<void>;
};

/**
 * Jobs handed to one worker at once: the one it computes and the next, already in its message
 * queue. A worker that finishes starts the next job at once instead of waiting for the event loop
 * (busy with a request, or in a commit's fsync) to read its answer and send it more work: on two
 * cores each such wait left a core idle (docs/performance-history.md, session 11).
 */
export const JOBS_PER_WORKER = 2;

export function createArgon2Workers({ max, idleMs = 10_000, nice = HASH_THREAD_NICE }: { max: number; idleMs?: number; nice?: number }): Argon2Workers {
  const slots: Slot[] = [];
  const waiting: { job: Job; handlers: Handlers }[] = [];
  let idleTimer: NodeJS.Timeout | undefined;

  const drop = (slot: Slot, error: Error) => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    const [running, ...handedOver] = slot.jobs;
    slot.jobs = [];
    running?.handlers.reject(error);
    void slot.worker.terminate();
    // The jobs it had not started, then those waiting, go to the workers left or a new one.
    waiting.unshift(...handedOver);
    for (let queued = waiting.shift(); queued; queued = waiting.shift()) {
      const target = pick();
      if (!target) {
        waiting.unshift(queued);
        break;
      }
      start(target, queued.job, queued.handlers);
    }
  };

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice } });
    const slot: Slot = { worker, jobs: [] };
    worker.on('message', (reply: Reply) => {
      const done = slot.jobs.shift();
      if (done) {
        if (reply.ok) done.handlers.resolve(reply.value);
        else done.handlers.reject(new Error(reply.message));
      }
      next(slot);
    });
    worker.on('error', (e) => drop(slot, e));
    worker.on('exit', (code) => drop(slot, new Error(`argon2 worker exited (${code})`)));
    slots.push(slot);
    return slot;
  };

  /** An idle worker, else a new one while fewer than `max` run, else the least busy with room. */
  const pick = (): Slot | undefined => {
    const idle = slots.find((s) => s.jobs.length === 0);
    if (idle) return idle;
    if (slots.length < max) return spawn();
    let least: Slot | undefined;
    for (const s of slots) if (s.jobs.length < JOBS_PER_WORKER && (!least || s.jobs.length < least.jobs.length)) least = s;
    return least;
  };

  const start = (slot: Slot, job: Job, handlers: Handlers) => {
    slot.jobs.push({ job, handlers });
    // A worker with a job keeps the process alive (a CLI awaiting its hash); an idle one does not.
    if (slot.jobs.length === 1) slot.worker.ref();
    slot.worker.postMessage(job);
  };

  const next = (slot: Slot) => {
    while (slot.jobs.length < JOBS_PER_WORKER && waiting.length > 0) {
      const queued = waiting.shift()!;
      start(slot, queued.job, queued.handlers);
    }
    if (slot.jobs.length > 0) return;
    slot.worker.unref();
    if (slots.every((s) => s.jobs.length === 0)) {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => void close(), idleMs);
      idleTimer.unref();
    }
  };

  const run = (job: Job) =>
    new Promise<string | boolean>((resolve, reject) => {
      clearTimeout(idleTimer);
      const handlers = { resolve, reject };
      const slot = pick();
      if (slot) start(slot, job, handlers);
      else waiting.push({ job, handlers });
    });

  async function close(): Promise<void> {
    clearTimeout(idleTimer);
    const idle = slots.filter((s) => s.jobs.length === 0);
    for (const slot of idle) slots.splice(slots.indexOf(slot), 1);
    await Promise.all(idle.map((s) => s.worker.terminate()));
  }

  return {
    hash: async (password, options) => String(await run({ op: 'hash', password, options })),
    verify: async (hash, password) => (await run({ op: 'verify', hash, password })) === true,
    close,
  };
}
