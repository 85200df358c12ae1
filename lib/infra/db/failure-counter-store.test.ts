import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockoutPolicy } from '../../domain/sign-in/lockout';
import { createDb } from './client';
import { createFailureLimiter } from './failure-counter-store';
import { createSqlSignUpStore } from './sql-sign-up-store';
import { openMigratedTestDatabase, runWorkers, TEST_BACKENDS, type MigratedTestDatabase } from './test-databases';

const policy: LockoutPolicy = { maxFailures: 3, windowSeconds: 60, baseLockoutSeconds: 10, maxLockoutSeconds: 40 };

for (const backend of TEST_BACKENDS) {
  describe.runIf(backend.enabled)(`failure counter store on ${backend.provider}`, () => {
    let t: MigratedTestDatabase;
    let now = new Date('2030-01-01T00:00:00Z');
    const advance = (seconds: number) => {
      now = new Date(now.getTime() + seconds * 1000);
    };

    beforeAll(async () => {
      t = await openMigratedTestDatabase(backend.provider);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('locks out with doubling lockouts up to the cap, and reset starts over', async () => {
      const limiter = createFailureLimiter(t.db, policy, () => now);
      const key = 'signin:email:a@example.com';
      const failUntilLocked = async () => {
        expect(await limiter.recordFailure(key)).toEqual({ locked: false });
        expect(await limiter.recordFailure(key)).toEqual({ locked: false });
        return limiter.recordFailure(key);
      };

      expect(await limiter.check(key)).toEqual({ locked: false });
      expect(await failUntilLocked()).toEqual({ locked: true, retryAfterSeconds: 10 });
      advance(4);
      expect(await limiter.check(key)).toEqual({ locked: true, retryAfterSeconds: 6 });
      expect(await limiter.recordFailure(key)).toEqual({ locked: true, retryAfterSeconds: 6 });
      advance(6);
      expect(await limiter.check(key)).toEqual({ locked: false });

      expect(await failUntilLocked()).toEqual({ locked: true, retryAfterSeconds: 20 });
      advance(20);
      expect(await failUntilLocked()).toEqual({ locked: true, retryAfterSeconds: 40 });
      advance(40);
      expect(await failUntilLocked()).toEqual({ locked: true, retryAfterSeconds: 40 });
      advance(40);

      await limiter.reset(key);
      expect(await limiter.check(key)).toEqual({ locked: false });
      expect(await failUntilLocked()).toEqual({ locked: true, retryAfterSeconds: 10 });
      expect(await limiter.check('signin:email:other@example.com')).toEqual({ locked: false });
    });

    it('starts counting again once the window has passed, to the millisecond', async () => {
      const limiter = createFailureLimiter(t.db, policy, () => now);
      const key = 'signin:email:window@example.com';
      expect(await limiter.recordFailure(key)).toEqual({ locked: false });
      advance(59.999);
      expect(await limiter.check(key)).toEqual({ locked: false });
      expect(await t.db.rateLimitCounter.findUnique({ where: { key } })).toMatchObject({ failures: 1 });
      advance(0.001);
      // The window of the first failure has just ended: this is the new window's first failure.
      expect(await limiter.recordFailure(key)).toEqual({ locked: false });
      expect(await t.db.rateLimitCounter.findUnique({ where: { key } })).toMatchObject({ failures: 1, windowStartedAt: now });
      expect(await limiter.recordFailure(key)).toEqual({ locked: false });
      expect(await limiter.recordFailure(key)).toEqual({ locked: true, retryAfterSeconds: 10 });
      const row = await t.db.rateLimitCounter.findUnique({ where: { key } });
      expect(row).toMatchObject({ failures: 0, lockouts: 1, lockedUntil: new Date(now.getTime() + 10_000) });
    });

    it('counts every one of many concurrent failures exactly once', async () => {
      // SQLite: one client per process (better-sqlite3 waits for another connection's lock
      // synchronously); PostgreSQL: two pools, as two servers would have.
      const other = backend.provider === 'postgresql' ? createDb(t.database.url) : t.db;
      try {
        const wide = { ...policy, maxFailures: 1000 };
        const limiters = [createFailureLimiter(t.db, wide), createFailureLimiter(other, wide)];
        const key = 'signin:ip:203.0.113.7';
        await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 2]?.recordFailure(key)));
        const row = await t.db.rateLimitCounter.findUnique({ where: { key } });
        expect(row?.failures).toBe(30);
      } finally {
        if (other !== t.db) await other.$disconnect();
      }
    });

    it('counts failures recorded by several processes at once', async () => {
      const key = 'signin:ip:198.51.100.1';
      await runWorkers(2, ['record-failures', t.database.url, key, '15']);
      expect((await t.db.rateLimitCounter.findUnique({ where: { key } }))?.failures).toBe(30);
    });

    it('records failures made at once by several limiters (one transaction) each as if alone', async () => {
      const perAddress = createFailureLimiter(t.db, { ...policy, maxFailures: 3 }, () => now);
      const perIp = createFailureLimiter(t.db, { ...policy, maxFailures: 2 }, () => now);
      const once = () => Promise.all([perAddress.recordFailure('batch:address'), perIp.recordFailure('batch:ip'), perIp.recordFailure('batch:ip')]);
      expect(await once()).toEqual([{ locked: false }, { locked: false }, { locked: true, retryAfterSeconds: 10 }]);
      expect(await once()).toEqual([{ locked: false }, { locked: true, retryAfterSeconds: 10 }, { locked: true, retryAfterSeconds: 10 }]);
      expect(await perAddress.recordFailure('batch:address')).toEqual({ locked: true, retryAfterSeconds: 10 });
    });

    it('does not deadlock when two servers record the same keys in opposite orders', async () => {
      const other = backend.provider === 'postgresql' ? createDb(t.database.url) : t.db;
      try {
        const wide = { ...policy, maxFailures: 1000 };
        const [a, b] = [createFailureLimiter(t.db, wide), createFailureLimiter(other, wide)];
        for (let round = 0; round < 20; round += 1) {
          await Promise.all([a.recordFailure('order:x'), a.recordFailure('order:y'), b.recordFailure('order:y'), b.recordFailure('order:x')]);
        }
        const rows = await t.db.rateLimitCounter.findMany({ where: { key: { in: ['order:x', 'order:y'] } } });
        expect(rows.map((r) => r.failures)).toEqual([40, 40]);
      } finally {
        if (other !== t.db) await other.$disconnect();
      }
    });

    it('locks exactly once when concurrent failures cross the threshold', async () => {
      const limiter = createFailureLimiter(t.db, { ...policy, maxFailures: 5 });
      const results = await Promise.all(Array.from({ length: 5 }, () => limiter.recordFailure('race-key')));
      expect(results.filter((r) => r.locked)).toHaveLength(1);
      expect((await t.db.rateLimitCounter.findUnique({ where: { key: 'race-key' } }))?.lockouts).toBe(1);
    });

    it('counts within a store transaction: committed with it, gone when it rolls back, refused for a handle of another database', async () => {
      const limiter = createFailureLimiter(t.db, { ...policy, maxFailures: 2 }, () => now);
      const store = createSqlSignUpStore(() => t.db);
      expect(await store.transaction((tx) => limiter.recordFailure('within:kept', tx))).toEqual({ locked: false });
      expect(await store.transaction((tx) => limiter.recordFailure('within:kept', tx))).toEqual({ locked: true, retryAfterSeconds: 10 });
      await expect(
        store.transaction(async (tx) => {
          await limiter.recordFailure('within:rolled-back', tx);
          throw new Error('the step failed');
        }),
      ).rejects.toThrow('the step failed');
      expect(await t.db.rateLimitCounter.findUnique({ where: { key: 'within:rolled-back' } })).toBeNull();
      expect(await limiter.check('within:kept')).toEqual({ locked: true, retryAfterSeconds: 10 });
      const elsewhere = await openMigratedTestDatabase(backend.provider);
      try {
        const foreign = createSqlSignUpStore(() => elsewhere.db);
        await expect(foreign.transaction((tx) => limiter.recordFailure('within:foreign', tx))).rejects.toThrow(/not a transaction of this database/);
        await expect(limiter.recordFailure('within:plain', {})).rejects.toThrow(/not a transaction of this database/);
      } finally {
        await elsewhere.close();
      }
    });
  });
}
