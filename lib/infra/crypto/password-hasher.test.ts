import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { createPasswordHasher } from './password-hasher';

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
});
