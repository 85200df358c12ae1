import type { Options } from '@node-rs/argon2';
import { getEnv } from '../../config/env';
import type { PasswordHasher } from '../../domain/credentials/password-hasher';
import { AppError } from '../../domain/errors';
import { createArgon2Workers, JOBS_PER_WORKER } from './argon2-workers';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommendation: 19 MiB, 2 passes,
 * 1 lane. @node-rs/argon2 computes on our own worker threads, below the event loop's priority
 * (argon2-workers.ts).
 */
export const ARGON2ID_OPTIONS: Options = {
  algorithm: 2, // Algorithm.Argon2id (an ambient const enum, which isolatedModules cannot read)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export type PasswordHasherLimits = {
  /** Hashes computed at once; each takes ~19 MiB and one of as many worker threads. */
  maxConcurrent: number;
  /** Callers allowed to wait for a slot; beyond it, AppError('server.busy', 503). Default 2 × maxConcurrent. */
  maxQueued?: number;
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
  if (!Number.isInteger(limits.maxConcurrent) || limits.maxConcurrent < 1) {
    throw new Error('maxConcurrent must be a positive integer');
  }
  const maxQueued = limits.maxQueued ?? 2 * limits.maxConcurrent;
  // Of the callers allowed to wait, up to one per worker waits in that worker's own queue, where
  // it starts the moment the job before it ends (JOBS_PER_WORKER); the others wait here. So
  // maxConcurrent hashes compute at once and maxQueued wait, as before.
  const handedOver = Math.min(maxQueued, limits.maxConcurrent * (JOBS_PER_WORKER - 1));
  const { run, isFull } = createSemaphore(limits.maxConcurrent + handedOver, maxQueued - handedOver);
  const workers = createArgon2Workers({ max: limits.maxConcurrent });

  return {
    isSaturated: isFull,
    hash: (password) => run(() => workers.hash(password, ARGON2ID_OPTIONS)),
    verify: (hash, password) => run(() => workers.verify(hash, password)),
    // Hashing the attempt costs one argon2id computation with the same parameters that a verify
    // against one of our hashes costs, through the same semaphore; the result is thrown away.
    verifyAgainstDummy: (password) =>
      run(async () => {
        await workers.hash(password, ARGON2ID_OPTIONS);
        return false as const;
      }),
  };
}

const holder = globalThis as typeof globalThis & { __meridianPasswordHasher?: CappedPasswordHasher };

/** The process-wide hasher; its cap (PASSWORD_HASH_CONCURRENCY) holds across Next's module copies. */
export function getPasswordHasher(): CappedPasswordHasher {
  holder.__meridianPasswordHasher ??= createPasswordHasher({ maxConcurrent: getEnv().passwordHashConcurrency });
  return holder.__meridianPasswordHasher;
}
