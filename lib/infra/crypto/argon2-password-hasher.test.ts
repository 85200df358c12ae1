import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseOptions, verify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { createPasswordHasher, HASH_THREAD_NICE } from './argon2-password-hasher';

/** Nice values of this process's threads (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended while we looked
    }
  });
}

const lowered = () => threadNices().filter((n) => n === HASH_THREAD_NICE).length;

describe('createPasswordHasher', () => {
  const hasher = createPasswordHasher({ maxConcurrent: 2 });

  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(parseOptions(hash)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'Correct horse battery staple')).toBe(false);
    expect(await hasher.hash('correct horse battery staple')).not.toBe(hash);
  });

  it('answers false for the dummy verification', async () => {
    expect(await hasher.verifyAgainstDummy('anything')).toBe(false);
  });

  it('spends about as long on the dummy as on a real verification', async () => {
    const hash = await hasher.hash('pw');
    const elapsed = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    await hasher.verify(hash, 'warm-up');
    let real = 0;
    let dummy = 0;
    // Interleaved, so load from other tests affects both sides alike.
    for (let i = 0; i < 6; i += 1) {
      real += await elapsed(() => hasher.verify(hash, 'wrong'));
      dummy += await elapsed(() => hasher.verifyAgainstDummy('wrong'));
    }
    expect(dummy / real).toBeGreaterThan(0.5);
    expect(dummy / real).toBeLessThan(2);
  });

  it('caps concurrency, bounds the queue, and refuses beyond it at once', async () => {
    const capped = createPasswordHasher({ maxConcurrent: 1, maxQueued: 1 });
    expect(capped.isSaturated()).toBe(false);
    const running = capped.hash('one'); // runs
    const queued = capped.hash('two'); // waits
    const start = performance.now();
    expect(capped.isSaturated()).toBe(true);
    const refused = await capped.hash('three').catch((e: unknown) => e);
    expect(performance.now() - start).toBeLessThan(20);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'server.busy', status: 503 });
    await expect(capped.verifyAgainstDummy('four')).rejects.toMatchObject({ code: 'server.busy' });
    await expect(running).resolves.toMatch(/^\$argon2id\$/);
    await expect(queued).resolves.toMatch(/^\$argon2id\$/);
    // Slots are released: the hasher works again.
    expect(capped.isSaturated()).toBe(false);
    await expect(capped.verify(await running, 'one')).resolves.toBe(true);
  });

  it('queues up to 2 × maxConcurrent by default', async () => {
    const capped = createPasswordHasher({ maxConcurrent: 1 });
    const accepted = [capped.hash('a'), capped.hash('b'), capped.hash('c')];
    await expect(capped.hash('d')).rejects.toMatchObject({ code: 'server.busy' });
    await expect(Promise.all(accepted)).resolves.toHaveLength(3);
  });

  it('releases the slot when a verification throws', async () => {
    const capped = createPasswordHasher({ maxConcurrent: 1, maxQueued: 0 });
    await expect(capped.verify('not a phc string', 'pw')).rejects.toThrow();
    await expect(capped.verifyAgainstDummy('pw')).resolves.toBe(false);
  });

  it.runIf(process.platform === 'linux')('hashes on threads below the event loop priority, started on demand and ended when idle', async () => {
    const before = lowered();
    const pool = createPasswordHasher({ maxConcurrent: 3, idleTimeoutMs: 100 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((p) => pool.hash(`${p}-password`)));
    // Five jobs, at most three threads, each at the lower priority; this (the event loop's) thread is not.
    expect(lowered() - before).toBe(3);
    expect(threadNices()[0]).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(lowered()).toBe(before);
    // A later job starts a thread again.
    await pool.hash('again');
    expect(lowered() - before).toBe(1);
  });

  it('hands a thread its next job before the current one ends, so it goes on while the event loop is blocked', async () => {
    const single = createPasswordHasher({ maxConcurrent: 1 });
    await single.hash('warm-up'); // starts the thread
    const started = performance.now();
    await single.hash('warm-up');
    const oneHash = performance.now() - started;
    const first = single.hash('first');
    const second = single.hash('second');
    // Let both jobs reach the pool, then keep the event loop busy for four hashes' time: the
    // thread cannot be sent anything meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    const until = performance.now() + 4 * oneHash + 50;
    while (performance.now() < until) {
      // busy
    }
    await first;
    const loopBack = performance.now();
    const secondHash = await second;
    // The second was computed while the loop was blocked: it arrives with the first, not a hash later.
    expect(performance.now() - loopBack).toBeLessThan(oneHash / 2);
    expect(await verify(secondHash, 'second')).toBe(true);
  });

  it('keeps a process alive while it hashes and lets it exit when idle (the operator CLI)', async () => {
    const program = `
      const { createPasswordHasher } = require(${JSON.stringify(join(__dirname, 'argon2-password-hasher.ts'))});
      const hasher = createPasswordHasher({ maxConcurrent: 1, idleTimeoutMs: 60000 });
      hasher.hash('pw').then((hash) => console.log(hash.slice(0, 9)));`;
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', program], { timeout: 30_000 });
    expect(stdout.trim()).toBe('$argon2id');
    // Exited on its own, well before the 60 s idle timeout would have ended the thread.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
