import { Worker } from 'node:worker_threads';
import type { Options } from '@node-rs/argon2';

/**
 * argon2id on worker threads of our own instead of libuv's pool. Why:
 * 1. priority: on Linux each worker lowers its own thread's nice value, so the event loop (every
 *    other request) outranks hashing when both want a core. With four hashes at equal priority
 *    the event loop got a fifth of the CPU, requests piled up behind it and the cores idled while
 *    the hash queue ran dry (docs/performance.md, session 6);
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
type Slot = { worker: Worker; job: Handlers | null };

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

export function createArgon2Workers({ max, idleMs = 10_000, nice = HASH_THREAD_NICE }: { max: number; idleMs?: number; nice?: number }): Argon2Workers {
  const slots: Slot[] = [];
  const waiting: { job: Job; handlers: Handlers }[] = [];
  let idleTimer: NodeJS.Timeout | undefined;

  const drop = (slot: Slot, error: Error) => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    const job = slot.job;
    slot.job = null;
    job?.reject(error);
    void slot.worker.terminate();
    // A job waiting for this worker gets a new one.
    const queued = waiting.shift();
    if (queued) start(spawn(), queued.job, queued.handlers);
  };

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice } });
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: Reply) => {
      const job = slot.job;
      slot.job = null;
      if (job) {
        if (reply.ok) job.resolve(reply.value);
        else job.reject(new Error(reply.message));
      }
      next(slot);
    });
    worker.on('error', (e) => drop(slot, e));
    worker.on('exit', (code) => drop(slot, new Error(`argon2 worker exited (${code})`)));
    slots.push(slot);
    return slot;
  };

  const start = (slot: Slot, job: Job, handlers: Handlers) => {
    slot.job = handlers;
    // A worker with a job keeps the process alive (a CLI awaiting its hash); an idle one does not.
    slot.worker.ref();
    slot.worker.postMessage(job);
  };

  const next = (slot: Slot) => {
    const queued = waiting.shift();
    if (queued) return start(slot, queued.job, queued.handlers);
    slot.worker.unref();
    if (slots.every((s) => s.job === null)) {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => void close(), idleMs);
      idleTimer.unref();
    }
  };

  const run = (job: Job) =>
    new Promise<string | boolean>((resolve, reject) => {
      clearTimeout(idleTimer);
      const handlers = { resolve, reject };
      const slot = slots.find((s) => s.job === null) ?? (slots.length < max ? spawn() : undefined);
      if (slot) start(slot, job, handlers);
      else waiting.push({ job, handlers });
    });

  async function close(): Promise<void> {
    clearTimeout(idleTimer);
    const idle = slots.filter((s) => s.job === null);
    for (const slot of idle) slots.splice(slots.indexOf(slot), 1);
    await Promise.all(idle.map((s) => s.worker.terminate()));
  }

  return {
    hash: async (password, options) => String(await run({ op: 'hash', password, options })),
    verify: async (hash, password) => (await run({ op: 'verify', hash, password })) === true,
    close,
  };
}
