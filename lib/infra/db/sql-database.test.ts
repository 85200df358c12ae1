import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from './client';
import { sqlBool, sqlDate } from './sql-values';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './test-databases';

const insertCounter = 'INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "locked_until", "lockouts", "updated_at") VALUES (?, ?, ?, ?, ?, ?)';
const keysSql = 'SELECT "key" FROM "rate_limit_counters" ORDER BY "key"';

describe.each(TEST_BACKENDS)('direct SQL on $provider', ({ provider }) => {
  let t: MigratedTestDatabase;
  const keys = async () => (await sqlOf(t.db).query<{ key: string }>(keysSql)).map((r) => r.key);

  beforeAll(async () => {
    t = await openMigratedTestDatabase(provider);
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes dates and booleans that Prisma reads back as written, and reads what Prisma wrote', async () => {
    const sql = sqlOf(t.db);
    const at = new Date('2026-11-22T07:53:01.234Z');
    await sql.execute(insertCounter, ['dates', 3, at, null, 1, at]);
    const viaPrisma = await t.db.rateLimitCounter.findUnique({ where: { key: 'dates' } });
    expect(viaPrisma?.windowStartedAt.toISOString()).toBe(at.toISOString());
    expect(viaPrisma?.lockedUntil).toBeNull();

    const later = new Date('2027-01-02T03:04:05.678Z');
    await t.db.rateLimitCounter.update({ where: { key: 'dates' }, data: { lockedUntil: later } });
    const [row] = await sql.query<{ locked_until: unknown; failures: unknown }>('SELECT "locked_until", "failures" FROM "rate_limit_counters" WHERE "key" = ?', ['dates']);
    expect(sqlDate(row?.locked_until).toISOString()).toBe(later.toISOString());
    expect(Number(row?.failures)).toBe(3);
    // Date comparison in SQL agrees with the stored format.
    const due = await sql.query('SELECT "key" FROM "rate_limit_counters" WHERE "locked_until" > ?', [new Date('2027-01-01T00:00:00Z')]);
    expect(due).toHaveLength(1);

    const [flag] = await sql.query<{ v: unknown }>('SELECT ? = ? AS "v"', [true, true]);
    expect(sqlBool(flag?.v)).toBe(true);
  });

  it('commits a transaction that resolves and keeps nothing of one that throws', async () => {
    const sql = sqlOf(t.db);
    const now = new Date();
    await sql.transaction(async (tx) => {
      await tx.execute(insertCounter, ['committed', 0, now, null, 0, now]);
    });
    const failure = await sql
      .transaction(async (tx) => {
        await tx.execute(insertCounter, ['rolled-back', 0, now, null, 0, now]);
        throw new Error('no');
      })
      .catch((e: Error) => e.message);
    expect(failure).toBe('no');
    expect(await keys()).toEqual(expect.arrayContaining(['committed']));
    expect(await keys()).not.toContain('rolled-back');
  });

  it('counts changed rows', async () => {
    const sql = sqlOf(t.db);
    const now = new Date();
    await sql.execute(insertCounter, ['count-a', 0, now, null, 0, now]);
    await sql.execute(insertCounter, ['count-b', 0, now, null, 0, now]);
    expect(await sql.execute('UPDATE "rate_limit_counters" SET "failures" = "failures" + 1 WHERE "key" LIKE ?', ['count-%'])).toBe(2);
    expect(await sql.execute('DELETE FROM "rate_limit_counters" WHERE "key" = ?', ['count-none'])).toBe(0);
  });

  it('a statement outside a transaction neither joins it nor is lost when it rolls back', async () => {
    const sql = sqlOf(t.db);
    const now = new Date();
    let seenInside: string[] | undefined;
    const rolledBack = sql
      .transaction(async (tx) => {
        await tx.execute(insertCounter, ['iso-inside', 0, now, null, 0, now]);
        await new Promise((r) => setTimeout(r, 100));
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 20));
    // Both through the executor and through Prisma, as the app mixes them.
    const outside = Promise.all([
      sql.execute(insertCounter, ['iso-outside', 0, now, null, 0, now]),
      t.db.$executeRaw`INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "locked_until", "lockouts", "updated_at") VALUES (${'iso-prisma'}, ${0}, ${now}, ${null}, ${0}, ${now})`,
    ]).then(async () => (seenInside = (await keys()).filter((k) => k.startsWith('iso-'))));
    expect(await rolledBack).toBe('rolled back');
    await outside;
    expect(seenInside).toEqual(['iso-outside', 'iso-prisma']);
  });

  it('runs many concurrent transactions and statements, executor and Prisma mixed, without losing one', async () => {
    const sql = sqlOf(t.db);
    const now = new Date();
    await sql.execute(insertCounter, ['mixed', 0, now, null, 0, now]);
    const bump = 'UPDATE "rate_limit_counters" SET "failures" = "failures" + 1 WHERE "key" = ?';
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        if (i % 3 === 0)
          return sql.transaction(async (tx) => {
            await tx.execute(bump, ['mixed']);
            await new Promise((r) => setTimeout(r, 2));
          });
        if (i % 3 === 1) return t.db.$transaction(async (tx) => tx.$executeRaw`UPDATE "rate_limit_counters" SET "failures" = "failures" + 1 WHERE "key" = ${'mixed'}`);
        return sql.execute(bump, ['mixed']);
      }),
    );
    const [row] = await sql.query<{ failures: unknown }>('SELECT "failures" FROM "rate_limit_counters" WHERE "key" = ?', ['mixed']);
    expect(Number(row?.failures)).toBe(30);
  });
});
