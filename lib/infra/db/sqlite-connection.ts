import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { commitHooks, type SqlDatabase, type SqlRow, type SqlTransaction, type SqlValue } from './sql-database';

/**
 * The one connection of this process to a SQLite file, shared by Prisma Client and the hot-path
 * SQL (sql-database.ts). better-sqlite3 runs statements synchronously on one connection, so that
 * connection has one transaction at a time, and a statement of another request issued while a
 * transaction is open would run INSIDE it: read its uncommitted rows and vanish with its
 * rollback. Isolation comes from one rule, kept here: every transaction, Prisma's interactive
 * ones and ours, holds the connection's turn from BEGIN to COMMIT/ROLLBACK, and every statement
 * outside a transaction takes the turn too (at once, synchronously, when nobody holds or awaits
 * it). Code inside a transaction must use its own `tx`: a statement on the root client there
 * waits for the transaction itself (a deadlock ended only by Prisma's transaction timeout).
 */

const SQLITE_BUSY_TIMEOUT_MS = 5000;

// WAL lets another process read while one writer commits; NORMAL is durable in WAL mode except
// for the last transactions on power loss; busy_timeout makes another process's writer wait.
const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL;',
  'PRAGMA synchronous = NORMAL;',
  `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS};`,
  'PRAGMA foreign_keys = ON;',
].join('\n');

/** The parts of a better-sqlite3 Database and Statement used here (the package ships no types). */
type Statement = {
  readonly reader: boolean;
  safeIntegers(on: boolean): Statement;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
};
type Handle = { readonly open: boolean; readonly inTransaction: boolean; prepare(sql: string): Statement };

/** A FIFO turn on the connection: `take()` resolves with the function that gives it back. */
function createTurn(): { take(): Promise<() => void>; readonly busy: boolean } {
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  return {
    get busy() {
      return pending > 0;
    },
    take() {
      pending += 1;
      let giveBack!: () => void;
      const held = new Promise<void>((resolve) => (giveBack = resolve));
      const previous = tail;
      tail = previous.then(() => held);
      let done = false;
      return previous.then(() => () => {
        if (done) return;
        done = true;
        pending -= 1;
        giveBack();
      });
    },
  };
}

/** As Prisma's adapter binds them (its default iso8601 format), so both read each other's rows. */
function bind(value: SqlValue | undefined): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

type Open = { adapter: SqlDriverAdapter; handle: Handle; statements: Map<string, Statement> };

export type SqliteConnection = {
  /** For `new PrismaClient({ adapter })`: every connect() answers this connection. */
  readonly prismaAdapter: SqlDriverAdapterFactory;
  /** The hot-path SQL on the same connection. */
  readonly sql: SqlDatabase;
  /** Closes the connection (the next statement opens it again). */
  close(): Promise<void>;
};

export function createSqliteConnection(file: string): SqliteConnection {
  const turn = createTurn();
  let current: Open | undefined;
  let opening: Promise<Open> | undefined;

  async function open(): Promise<Open> {
    if (current?.handle.open) return current;
    opening ??= (async () => {
      // Prisma 6.19's adapter opens the file itself (it takes no Database): we open it through the
      // adapter once and keep it; `client` is the better-sqlite3 Database it opened.
      const adapter = await new PrismaBetterSQLite3({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS }).connect();
      await adapter.executeScript(SQLITE_PRAGMAS);
      current = { adapter, handle: (adapter as unknown as { client: Handle }).client, statements: new Map() };
      return current;
    })().finally(() => (opening = undefined));
    return opening;
  }

  async function close(): Promise<void> {
    const closing = current;
    current = undefined;
    if (closing?.handle.open) await closing.adapter.dispose();
  }

  /** Runs `fn` when no transaction is open or waiting; synchronously after the handle when the turn is free. */
  async function outsideTransactions<R>(fn: (open: Open) => R | Promise<R>): Promise<R> {
    const connection = current?.handle.open ? current : await open();
    if (!turn.busy) return fn(connection);
    const giveBack = await turn.take();
    try {
      return await fn(connection);
    } finally {
      giveBack();
    }
  }

  function statement({ handle, statements }: Open, sql: string): Statement {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = handle.prepare(sql).safeIntegers(false);
      statements.set(sql, prepared);
    }
    return prepared;
  }

  function query<T>(connection: Open, sql: string, params: readonly SqlValue[]): T[] {
    const prepared = statement(connection, sql);
    if (prepared.reader) return prepared.all(...params.map(bind)) as T[];
    prepared.run(...params.map(bind));
    return [];
  }

  function execute(connection: Open, sql: string, params: readonly SqlValue[]): number {
    const prepared = statement(connection, sql);
    if (prepared.reader) return prepared.all(...params.map(bind)).length;
    return prepared.run(...params.map(bind)).changes;
  }

  const sql: SqlDatabase = {
    provider: 'sqlite',
    query: <T = SqlRow>(text: string, params: readonly SqlValue[] = []) => outsideTransactions((c) => query<T>(c, text, params)),
    execute: (text, params = []) => outsideTransactions((c) => execute(c, text, params)),
    async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const connection = await open();
      const hooks = commitHooks();
      const giveBack = await turn.take();
      try {
        // IMMEDIATE: the write lock now, so another process's writer waits instead of failing later.
        statement(connection, 'BEGIN IMMEDIATE').run();
        const tx: SqlTransaction = {
          query: async <R = SqlRow>(text: string, params: readonly SqlValue[] = []) => query<R>(connection, text, params),
          execute: async (text, params = []) => execute(connection, text, params),
          afterCommit: hooks.register,
        };
        try {
          const result = await fn(tx);
          statement(connection, 'COMMIT').run();
          hooks.committed();
          return result;
        } catch (e) {
          if (connection.handle.inTransaction) statement(connection, 'ROLLBACK').run();
          throw e;
        }
      } finally {
        giveBack();
      }
    },
  };

  /** Prisma's transaction, holding the turn until it commits or rolls back. */
  function holdingTheTurn(tx: Transaction, giveBack: () => void): Transaction {
    return {
      provider: tx.provider,
      adapterName: tx.adapterName,
      options: tx.options,
      queryRaw: (q) => tx.queryRaw(q),
      executeRaw: (q) => tx.executeRaw(q),
      commit: () => tx.commit().finally(giveBack),
      rollback: () => tx.rollback().finally(giveBack),
    };
  }

  /** Prisma's view of the connection: the adapter, every statement taking its turn. */
  function forPrisma({ adapter }: Open): SqlDriverAdapter {
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (q) => outsideTransactions(() => adapter.queryRaw(q)),
      executeRaw: (q) => outsideTransactions(() => adapter.executeRaw(q)),
      executeScript: (script) => outsideTransactions(() => adapter.executeScript(script)),
      async startTransaction(isolationLevel) {
        const giveBack = await turn.take();
        try {
          return holdingTheTurn(await adapter.startTransaction(isolationLevel), giveBack);
        } catch (e) {
          giveBack();
          throw e;
        }
      },
      getConnectionInfo: adapter.getConnectionInfo && (() => adapter.getConnectionInfo!()),
      dispose: close,
    };
  }

  return {
    prismaAdapter: { provider: 'sqlite', adapterName: '@prisma/adapter-better-sqlite3', connect: async () => forPrisma(await open()) },
    sql,
    close,
  };
}
