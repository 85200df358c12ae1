import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from './client';
import { openMigratedTestDatabase, type MigratedTestDatabase } from './test-databases';

// SQLite runs every statement of the app, Prisma's and the hot-path SQL's, on one connection
// (sqlite-connection.ts): what one request writes must not become part of another request's
// transaction.
describe('SQLite: statements outside a transaction', () => {
  let t: MigratedTestDatabase;
  const insert = (key: string) =>
    t.db.$executeRaw`INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "locked_until", "lockouts", "updated_at") VALUES (${key}, ${1}, ${new Date()}, ${null}, ${0}, ${new Date()})`;
  const keys = async () => (await t.db.$queryRaw<{ key: string }[]>`SELECT "key" FROM "rate_limit_counters" ORDER BY "key"`).map((r) => r.key);

  beforeAll(async () => {
    t = await openMigratedTestDatabase('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('are not lost when another request’s open transaction rolls back, and do not see its rows', async () => {
    let seenDuringTransaction: string[] | undefined;
    const rolledBack = t.db
      .$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "locked_until", "lockouts", "updated_at") VALUES (${'inside'}, ${1}, ${new Date()}, ${null}, ${0}, ${new Date()})`;
        await new Promise((r) => setTimeout(r, 150));
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 50));
    const outside = insert('outside').then(async () => (seenDuringTransaction = await keys()));
    expect(await rolledBack).toBe('rolled back');
    await outside;
    expect(seenDuringTransaction).toEqual(['outside']);
    expect(await keys()).toEqual(['outside']);
  });

  it('interleave with many concurrent transactions without deadlock', async () => {
    const work = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? t.db.$transaction(async (tx) => {
            await tx.$executeRaw`UPDATE "rate_limit_counters" SET "failures" = "failures" + 1 WHERE "key" = ${'outside'}`;
            await new Promise((r) => setTimeout(r, 5));
          })
        : insert(`k${i}`),
    );
    await Promise.all(work);
    const rows = await t.db.$queryRaw<{ failures: number }[]>`SELECT "failures" FROM "rate_limit_counters" WHERE "key" = ${'outside'}`;
    expect(Number(rows[0]?.failures)).toBe(11);
    expect((await keys()).length).toBe(11);
  });

  it('hold for the hot-path SQL and Prisma alike: neither runs inside the other’s open transaction', async () => {
    const sql = sqlOf(t.db);
    await sql.execute('DELETE FROM "rate_limit_counters"');
    const sqlRolledBack = sql
      .transaction(async (tx) => {
        await tx.execute('INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "locked_until", "lockouts", "updated_at") VALUES (?, 1, ?, NULL, 0, ?)', ['sql-inside', new Date(), new Date()]);
        await new Promise((r) => setTimeout(r, 100));
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 20));
    const prismaOutside = insert('prisma-outside').then(keys);
    const prismaRolledBack = t.db
      .$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "locked_until", "lockouts", "updated_at") VALUES (${'prisma-inside'}, ${1}, ${new Date()}, ${null}, ${0}, ${new Date()})`;
        await new Promise((r) => setTimeout(r, 100));
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 20));
    const sqlOutside = sql.query<{ key: string }>('SELECT "key" FROM "rate_limit_counters" ORDER BY "key"');
    expect(await sqlRolledBack).toBe('rolled back');
    expect(await prismaOutside).toEqual(['prisma-outside']);
    expect(await prismaRolledBack).toBe('rolled back');
    expect((await sqlOutside).map((r) => r.key)).toEqual(['prisma-outside']);
  });
});
