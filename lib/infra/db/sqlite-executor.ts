import { commitHooks, type SqlDatabase, type SqlRow, type SqlTransaction, type SqlValue } from './sql-database';
import type { TransactionLock } from './transaction-lock';

/** The parts of a better-sqlite3 Database and Statement used here (the package ships no types). */
export type SqliteStatement = {
  readonly reader: boolean;
  safeIntegers(on: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
};
export type SqliteHandle = {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
};

/** As Prisma's adapter binds them (its default iso8601 format), so both read each other's rows. */
function bind(value: SqlValue | undefined): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * SqlDatabase on the better-sqlite3 handle Prisma's adapter opened (`handle()` resolves it,
 * connecting if needed). Statements are prepared once per SQL text. Every statement is
 * synchronous, so one outside a transaction runs at once unless a transaction is open or queued
 * on `lock` (the lock Prisma's gated adapter takes too): then it waits, as a separate
 * connection would (sqlite-transaction-gate.ts says why).
 */
export function createSqliteExecutor(handle: () => Promise<SqliteHandle>, lock: TransactionLock): SqlDatabase {
  let current: SqliteHandle | undefined;
  let statements = new Map<string, SqliteStatement>();

  async function database(): Promise<SqliteHandle> {
    if (current?.open) return current;
    const next = await handle();
    if (next !== current) statements = new Map();
    current = next;
    return next;
  }

  function statement(db: SqliteHandle, sql: string): SqliteStatement {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = db.prepare(sql).safeIntegers(false);
      statements.set(sql, prepared);
    }
    return prepared;
  }

  function queryNow<T>(db: SqliteHandle, sql: string, params: readonly SqlValue[]): T[] {
    const prepared = statement(db, sql);
    const args = params.map(bind);
    if (!prepared.reader) {
      prepared.run(...args);
      return [];
    }
    return prepared.all(...args) as T[];
  }

  function executeNow(db: SqliteHandle, sql: string, params: readonly SqlValue[]): number {
    const prepared = statement(db, sql);
    const args = params.map(bind);
    if (prepared.reader) return prepared.all(...args).length;
    return prepared.run(...args).changes;
  }

  async function outside<R>(run: (db: SqliteHandle) => R): Promise<R> {
    const db = current?.open ? current : await database();
    if (!lock.busy) return run(db);
    const release = await lock.acquire();
    try {
      return run(db);
    } finally {
      release();
    }
  }

  return {
    provider: 'sqlite',
    query: <T = SqlRow>(sql: string, params: readonly SqlValue[] = []) => outside((db) => queryNow<T>(db, sql, params)),
    execute: (sql, params = []) => outside((db) => executeNow(db, sql, params)),
    async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const db = await database();
      const hooks = commitHooks();
      const release = await lock.acquire();
      try {
        // IMMEDIATE: the write lock now, so another process's writer waits instead of failing later.
        statement(db, 'BEGIN IMMEDIATE').run();
        const tx: SqlTransaction = {
          query: async <R = SqlRow>(sql: string, params: readonly SqlValue[] = []) => queryNow<R>(db, sql, params),
          execute: async (sql, params = []) => executeNow(db, sql, params),
          afterCommit: hooks.register,
        };
        try {
          const result = await fn(tx);
          statement(db, 'COMMIT').run();
          hooks.committed();
          return result;
        } catch (e) {
          if (db.inTransaction) statement(db, 'ROLLBACK').run();
          throw e;
        }
      } finally {
        release();
      }
    },
  };
}
