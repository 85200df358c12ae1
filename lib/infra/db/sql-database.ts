/**
 * Plain SQL straight on the driver, on the same connection (SQLite) or pool (PostgreSQL) as the
 * Prisma client: for the statements of hot paths, where Prisma's `$queryRaw` costs ~0.25 ms of
 * CPU per statement against a few microseconds for a prepared better-sqlite3 statement
 * (docs/performance-history.md). Write `?` placeholders; PostgreSQL gets them numbered. Values: Date,
 * boolean, number, string, null. Rows come back as the driver gives them (read them with
 * sql-values.ts: SQLite has 0/1 booleans and text dates).
 */
export type SqlValue = string | number | boolean | Date | null;
export type SqlRow = Record<string, unknown>;

export interface SqlRunner {
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<T = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The number of rows a write changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** The runner of an open transaction. */
export interface SqlTransaction extends SqlRunner {
  /**
   * Runs `hook` once the transaction has committed; never when it rolls back. A hook that throws
   * is logged and does not undo the commit (outbox-worker.ts: wake the sender).
   */
  afterCommit(hook: () => void): void;
}

/** The after-commit hooks of one transaction: `runner` registers them, `committed()` runs them. */
export function commitHooks(): { register(hook: () => void): void; committed(): void } {
  const hooks: (() => void)[] = [];
  return {
    register: (hook) => void hooks.push(hook),
    committed() {
      for (const hook of hooks.splice(0)) {
        try {
          hook();
        } catch (e) {
          console.error('[db] an after-commit hook failed', e);
        }
      }
    },
  };
}

export interface SqlDatabase extends SqlRunner {
  readonly provider: 'sqlite' | 'postgresql';
  /**
   * Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). Inside,
   * use only the runner it is given: on SQLite another statement waits for the transaction to end.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
}

const TRANSACTION = Symbol('meridian.sqlTransaction');

type Tagged = { [TRANSACTION]?: { runner: SqlTransaction; database: SqlDatabase } };

/**
 * Marks `port` (a store's transaction object, such as a SignUpTx) as running on `runner`, a
 * transaction of `database`, so another store on the same database can write in it
 * (transactionRunnerOf). The tag is an own enumerable symbol: object spread keeps it.
 */
export function tagTransaction<T extends object>(port: T, runner: SqlTransaction, database: SqlDatabase): T {
  return Object.assign(port, { [TRANSACTION]: { runner, database } });
}

/** The runner of a transaction tagged by tagTransaction, when it is one of `database`'s; else null. */
export function transactionRunnerOf(port: object, database: SqlDatabase): SqlTransaction | null {
  const tag = (port as Tagged)[TRANSACTION];
  return tag && tag.database === database ? tag.runner : null;
}
