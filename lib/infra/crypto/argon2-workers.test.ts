import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verify } from '@node-rs/argon2';
import { afterEach, describe, expect, it } from 'vitest';
import { createArgon2Workers, HASH_THREAD_NICE, type Argon2Workers } from './argon2-workers';
import { ARGON2ID_OPTIONS } from './password-hasher';

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

describe('argon2id worker threads', () => {
  let pool: Argon2Workers | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('hashes and verifies as @node-rs/argon2 does, and reports a bad hash as an error', async () => {
    pool = createArgon2Workers({ max: 2 });
    const hash = await pool.hash('violet harbor lantern', ARGON2ID_OPTIONS);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(hash, 'violet harbor lantern')).toBe(true);
    expect(await pool.verify(hash, 'violet harbor lantern')).toBe(true);
    expect(await pool.verify(hash, 'violet harbor lanterns')).toBe(false);
    await expect(pool.verify('not a phc string', 'pw')).rejects.toThrow();
    // The worker that answered the error still works.
    expect(await pool.verify(hash, 'violet harbor lantern')).toBe(true);
  });

  it.runIf(process.platform === 'linux')('hashes on threads below the event loop priority, started on demand and ended when idle', async () => {
    const before = lowered();
    pool = createArgon2Workers({ max: 3, idleMs: 100 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((p) => pool!.hash(`${p}-password`, ARGON2ID_OPTIONS)));
    // Five jobs, at most three threads, each at the lower priority; this (the event loop's) thread is not.
    expect(lowered() - before).toBe(3);
    expect(threadNices()[0]).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(lowered()).toBe(before);
    // A later job starts a worker again.
    await pool.hash('again', ARGON2ID_OPTIONS);
    expect(lowered() - before).toBe(1);
  });

  it('hands a worker its next job before the current one ends, so it goes on while the event loop is blocked', async () => {
    pool = createArgon2Workers({ max: 1 });
    const started = performance.now();
    await pool.hash('warm-up', ARGON2ID_OPTIONS);
    const oneHash = performance.now() - started;
    let secondDone = false;
    const first = pool.hash('first', ARGON2ID_OPTIONS);
    const second = pool.hash('second', ARGON2ID_OPTIONS).then((hash) => {
      secondDone = true;
      return hash;
    });
    // The event loop is busy for four hashes' time: the worker cannot be sent anything meanwhile.
    const until = performance.now() + 4 * oneHash + 50;
    while (performance.now() < until) {
      // busy
    }
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondDone).toBe(true);
    expect(await verify(await second, 'second')).toBe(true);
  });

  it('keeps a process alive while it hashes and lets it exit when idle (the operator CLI)', async () => {
    const program = `
      const { createArgon2Workers } = require(${JSON.stringify(join(__dirname, 'argon2-workers.ts'))});
      const pool = createArgon2Workers({ max: 1, idleMs: 60000 });
      pool.hash('pw', { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }).then((hash) => console.log(hash.slice(0, 9)));`;
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', program], { timeout: 30_000 });
    expect(stdout.trim()).toBe('$argon2id');
    // Exited on its own, well before the 60 s idle timeout would have ended the worker.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
