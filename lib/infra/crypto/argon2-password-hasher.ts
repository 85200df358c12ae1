import { join } from 'node:path';
import type { Options } from '@node-rs/argon2';
import { Piscina } from 'piscina';
import type { PasswordHasher } from '../../domain/credentials/password-hasher';
import { AppError } from '../../domain/errors';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommendation: 19 MiB, 2 passes,
 * 1 lane, computed by @node-rs/argon2 on a piscina pool of worker threads rather than libuv's:
 * 1. priority: on Linux each hashing thread runs at a higher nice value, so the event loop (every
 *    other request) outranks hashing when both want a core. With four hashes at equal priority
 *    the event loop got a fifth of the CPU, requests piled up behind it and the cores idled while
 *    the hash queue ran dry (docs/performance-history.md, session 6). libuv's threads cannot be
 *    reniced one by one;
 * 2. the libuv pool stays free for what else runs there (WebCrypto signing of tokens, fs), which
 *    otherwise waited behind 10–40 ms hashes.
 * Threads start on demand and end after `idleTimeoutMs` without work (four hold ~36 MiB).
 */
export const ARGON2ID_OPTIONS: Options = {
  algorithm: 2, // Algorithm.Argon2id (an ambient const enum, which isolatedModules cannot read)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/** Nice value of a hashing thread: the event loop's share is ~10× a hash's when they compete. */
export const HASH_THREAD_NICE = 10;

/**
 * Jobs handed to one thread at once: the one it computes and the next, already in its message
 * queue, which it starts the moment the first ends instead of waiting for the event loop (busy
 * with a request, or in a commit's fsync) to send it: on two cores each such wait left a core
 * idle (docs/performance-history.md, session 11).
 */
const JOBS_PER_THREAD = 2;

// The worker is a file piscina loads by path. A path relative to this module would point into
// Next's build output, where the file is not copied; the working directory is the project's
// under server.mjs, `next start`, the CLI and the tests (as for the database file and the config).
const WORKER_FILE = join(process.cwd(), 'lib', 'infra', 'crypto', 'argon2-worker.mjs');

type Job = { op: 'hash'; password: string; options: Options } | { op: 'verify'; hash: string; password: string };
type LoadBalancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

/** An idle thread, else none while the pool may start another (so it does), else the least busy with room. */
function spreadFirst(maxThreads: number): LoadBalancer {
  return (_task, workers) => {
    const idle = workers.find((w) => w.currentUsage === 0);
    if (idle) return idle;
    if (workers.length < maxThreads) return null;
    let least: (typeof workers)[number] | null = null;
    for (const w of workers) if (w.currentUsage < JOBS_PER_THREAD && (!least || w.currentUsage < least.currentUsage)) least = w;
    return least;
  };
}

export type PasswordHasherLimits = {
  /** Hashes computed at once; each takes ~19 MiB and one of as many worker threads. */
  maxConcurrent: number;
  /** Callers allowed to wait for a slot; beyond it, AppError('server.busy', 503). Default 2 × maxConcurrent. */
  maxQueued?: number;
  /** How long an idle hashing thread lives (default 10 s). */
  idleTimeoutMs?: number;
};

/** Counting semaphore with a bounded wait queue: never queues without bound. */
function createSemaphore(maxConcurrent: number, maxQueued: number) {
  let running = 0;
  const waiting: Array<() => void> = [];

  const acquire = async (): Promise<void> => {
    if (running < maxConcurrent) {
      running += 1;
      return;
    }
    if (waiting.length >= maxQueued) throw new AppError('server.busy', { status: 503 });
    await new Promise<void>((resolve) => waiting.push(resolve));
  };

  const release = (): void => {
    const next = waiting.shift();
    // The slot passes straight to the next waiter, so `running` stays the same.
    if (next) next();
    else running -= 1;
  };

  const run = async <T>(task: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await task();
    } finally {
      release();
    }
  };
  return { run, isFull: () => running >= maxConcurrent && waiting.length >= maxQueued };
}

/** The hasher with its capacity visible, so callers can refuse work before they start it. */
export type CappedPasswordHasher = PasswordHasher & {
  /** True when a hash requested now would be refused with server.busy (slots and queue full). */
  isSaturated(): boolean;
};

export function createPasswordHasher(limits: PasswordHasherLimits): CappedPasswordHasher {
  const { maxConcurrent, idleTimeoutMs = 10_000 } = limits;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new Error('maxConcurrent must be a positive integer');
  }
  const maxQueued = limits.maxQueued ?? 2 * maxConcurrent;
  // Of the callers allowed to wait, up to one per thread waits in that thread's own queue
  // (JOBS_PER_THREAD); the others wait here. So maxConcurrent hashes compute at once and
  // maxQueued wait.
  const handedOver = Math.min(maxQueued, maxConcurrent * (JOBS_PER_THREAD - 1));
  const { run, isFull } = createSemaphore(maxConcurrent + handedOver, maxQueued - handedOver);
  const pool = new Piscina<Job, string | boolean>({
    filename: WORKER_FILE,
    minThreads: 0,
    maxThreads: maxConcurrent,
    idleTimeout: idleTimeoutMs,
    concurrentTasksPerWorker: JOBS_PER_THREAD,
    loadBalancer: spreadFirst(maxConcurrent),
    // Linux renices the calling thread only; elsewhere it would lower the whole process.
    niceIncrement: process.platform === 'linux' ? HASH_THREAD_NICE : 0,
  });
  const hash = async (password: string) => String(await pool.run({ op: 'hash', password, options: ARGON2ID_OPTIONS }));

  return {
    isSaturated: isFull,
    hash: (password) => run(() => hash(password)),
    verify: (stored, password) => run(async () => (await pool.run({ op: 'verify', hash: stored, password })) === true),
    // Hashing the attempt costs one argon2id computation with the same parameters that a verify
    // against one of our hashes costs, through the same semaphore; the result is thrown away.
    verifyAgainstDummy: (password) =>
      run(async () => {
        await hash(password);
        return false as const;
      }),
  };
}
