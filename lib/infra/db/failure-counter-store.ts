import { lockStateAt, nextFailureState, type FailureLimiter, type FailureOutcome, type LockoutCounter, type LockoutPolicy, type LockState } from '../../domain/sign-in/lockout';
import { sqlOf, type Db } from './client';
import { transactionRunnerOf, type SqlDatabase, type SqlRunner } from './sql-database';
import { sqlDate, sqlDateOrNull } from './sql-values';

/**
 * The store of lockout counters: one row per key (rate_limit_counters), changed by the domain's
 * rules (lib/domain/sign-in/lockout.ts) inside a transaction, so concurrent failures for one key
 * apply one after the other, across processes too.
 */

type CounterRow = { failures: unknown; window_started_at: unknown; locked_until: unknown; lockouts: unknown };

function toCounter(row: CounterRow): LockoutCounter {
  return {
    failures: Number(row.failures),
    windowStartedAt: sqlDate(row.window_started_at),
    lockedUntil: sqlDateOrNull(row.locked_until),
    lockouts: Number(row.lockouts),
  };
}

type Pending = { key: string; policy: LockoutPolicy; clock: () => Date; resolve(outcome: FailureOutcome): void; reject(error: unknown): void };

/**
 * The common failure in one statement: a new key, or a key that is not locked, inside its
 * window and not reaching maxFailures with this one, is just counted (nextFailureState leaves
 * every other field as it is then). Anything else returns no row and changes nothing; on
 * PostgreSQL the conflicting row is locked all the same, so the full transition that follows
 * reads what this transaction sees.
 */
async function countPlainFailure(tx: SqlRunner, key: string, now: Date, policy: LockoutPolicy): Promise<boolean> {
  if (policy.maxFailures <= 1) return false;
  const rows = await tx.query<{ failures: unknown }>(
    `INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "lockouts", "updated_at")
    VALUES (?, 1, ?, 0, ?)
    ON CONFLICT ("key") DO UPDATE SET "failures" = "rate_limit_counters"."failures" + 1, "updated_at" = excluded."updated_at"
    WHERE ("rate_limit_counters"."locked_until" IS NULL OR "rate_limit_counters"."locked_until" <= ?)
      AND "rate_limit_counters"."window_started_at" > ?
      AND "rate_limit_counters"."failures" + 1 < ?
    RETURNING "failures"`,
    [key, now, now, now, new Date(now.getTime() - policy.windowSeconds * 1000), policy.maxFailures],
  );
  return rows.length > 0;
}

/** One failure of `key`, inside a transaction. */
async function countFailure(tx: SqlRunner, { key, policy, clock }: Pick<Pending, 'key' | 'policy' | 'clock'>): Promise<FailureOutcome> {
  const now = clock();
  if (await countPlainFailure(tx, key, now, policy)) return { locked: false };
  // Write first: the upsert (INSERT … ON CONFLICT DO UPDATE) locks the row on PostgreSQL and
  // takes the database write lock on SQLite, so concurrent failures for one key are applied
  // one after the other, each reading the state the previous one committed.
  const rows = await tx.query<CounterRow>(
    `INSERT INTO "rate_limit_counters" ("key", "failures", "window_started_at", "lockouts", "updated_at")
    VALUES (?, 0, ?, 0, ?)
    ON CONFLICT ("key") DO UPDATE SET "updated_at" = excluded."updated_at"
    RETURNING "failures", "window_started_at", "locked_until", "lockouts"`,
    [key, now, now],
  );
  const row = rows[0];
  if (!row) throw new Error(`rate_limit_counters: upsert of ${key} returned no row`);
  const { state, outcome } = nextFailureState(toCounter(row), now, policy);
  await tx.execute(
    `UPDATE "rate_limit_counters"
    SET "failures" = ?, "window_started_at" = ?, "locked_until" = ?, "lockouts" = ?, "updated_at" = ?
    WHERE "key" = ?`,
    [state.failures, state.windowStartedAt, state.lockedUntil, state.lockouts, now, key],
  );
  return outcome;
}

/**
 * Failures recorded in the same tick on one database (a sign-up's send counts per address and
 * per IP, a sign-in's per email and per IP, or concurrent requests) are written in one
 * transaction: one commit instead of one each. Each is applied as it would be alone, in the order
 * of the calls for one key; the keys are locked in sorted order, so two batches cannot deadlock
 * on PostgreSQL's row locks. A failed transaction fails every call of its batch.
 */
const batches = new WeakMap<SqlDatabase, Pending[]>();

async function flush(sql: SqlDatabase): Promise<void> {
  const batch = batches.get(sql) ?? [];
  batches.delete(sql);
  // Array.prototype.sort is stable: calls for one key keep their order.
  const ordered = [...batch].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  try {
    const outcomes = await sql.transaction(async (tx) => {
      const done = new Map<Pending, FailureOutcome>();
      for (const pending of ordered) done.set(pending, await countFailure(tx, pending));
      return done;
    });
    for (const pending of batch) pending.resolve(outcomes.get(pending)!);
  } catch (e) {
    for (const pending of batch) pending.reject(e);
  }
}

function recordInBatch(sql: SqlDatabase, entry: Omit<Pending, 'resolve' | 'reject'>): Promise<FailureOutcome> {
  return new Promise((resolve, reject) => {
    const pending = { ...entry, resolve, reject };
    const batch = batches.get(sql);
    if (batch) batch.push(pending);
    else {
      batches.set(sql, [pending]);
      queueMicrotask(() => void flush(sql));
    }
  });
}

/**
 * Plain SQL that SQLite and PostgreSQL both accept, on the driver (sqlOf): every sign-in runs
 * check twice and reset once, every sign-up step counts against a few limits, and a Prisma model
 * query costs 3–4 × the CPU of raw SQL through Prisma, itself many times a prepared statement's
 * (docs/performance-history.md).
 */
export function createFailureLimiter(
  db: Db,
  policy: LockoutPolicy,
  clock: () => Date = () => new Date(),
): FailureLimiter {
  const sql = sqlOf(db);
  return {
    async check(key: string): Promise<LockState> {
      const now = clock();
      const rows = await sql.query<{ locked_until: unknown }>('SELECT "locked_until" FROM "rate_limit_counters" WHERE "key" = ?', [key]);
      return lockStateAt(sqlDateOrNull(rows[0]?.locked_until), now);
    },

    recordFailure(key: string, within?: object): Promise<FailureOutcome> {
      if (!within) return recordInBatch(sql, { key, policy, clock });
      // Outside `within` the statement would wait for it to end (SQLite) or count apart from it.
      const tx = transactionRunnerOf(within, sql);
      if (!tx) return Promise.reject(new Error('recordFailure: `within` is not a transaction of this database'));
      return countFailure(tx, { key, policy, clock });
    },

    async reset(key: string): Promise<void> {
      await sql.execute('DELETE FROM "rate_limit_counters" WHERE "key" = ?', [key]);
    },
  };
}
