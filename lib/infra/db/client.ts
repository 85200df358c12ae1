import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { getEnv } from '../../config/env';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client';
import { parseDatabaseUrl, type DatabaseProvider } from './database-url';
import { createPostgresExecutor } from './postgres-executor';
import type { SqlDatabase } from './sql-database';
import { createSqliteExecutor, type SqliteHandle } from './sqlite-executor';
import { gateStatementsBehindTransactions } from './sqlite-transaction-gate';
import { DEFAULT_WAL_AUTOCHECKPOINT_PAGES, SAFETY_NET_WAL_PAGES, startSqliteCheckpointer, type SqliteCheckpointer } from './sqlite-checkpointer';
import { createTransactionLock, type TransactionLock } from './transaction-lock';

/** The Prisma client. Typed as the SQLite client; the PostgreSQL client has the same model API. */
export type Db = SqlitePrismaClient;

/** Transaction client handed to `db.$transaction(async (tx) => …)`. */
export type DbTransaction = Parameters<Parameters<Db['$transaction']>[0]>[0];

export const SQLITE_BUSY_TIMEOUT_MS = 5000;

// WAL lets readers proceed while one writer commits; NORMAL is durable in WAL mode except for the
// last transactions on power loss; busy_timeout makes a second writer wait instead of failing.
const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL;',
  'PRAGMA synchronous = NORMAL;',
  `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS};`,
  'PRAGMA foreign_keys = ON;',
].join('\n');

/**
 * better-sqlite3 adapter that sets our pragmas on the connection it opens, gates it behind
 * transactions, and hands its handle to the direct SQL executor (sqlOf).
 */
/** A file's checkpointer, and whether it has its connection (`running`). */
type CheckpointerEntry = { running: boolean; checkpointer?: SqliteCheckpointer };

class ConfiguredSQLite3 extends PrismaBetterSQLite3 {
  readonly lock: TransactionLock = createTransactionLock();
  handle: SqliteHandle | undefined;

  constructor(readonly file: string) {
    super({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }

  override async connect() {
    const connection = await super.connect();
    await connection.executeScript(SQLITE_PRAGMAS);
    this.handle = (connection as unknown as { client: SqliteHandle }).client;
    if (globalForDb.__meridianCheckpointWorker) this.checkpointOffTheEventLoop();
    return gateStatementsBehindTransactions(connection, this.lock);
  }

  /** Starts this file's WAL checkpointer (once per process and file) and sets this connection's automatic checkpoint to match. */
  private checkpointOffTheEventLoop(): void {
    const checkpointers = (globalForDb.__meridianCheckpointers ??= new Map());
    const setAutocheckpoint = (running: boolean) => {
      const pages = running ? SAFETY_NET_WAL_PAGES : DEFAULT_WAL_AUTOCHECKPOINT_PAGES;
      if (this.handle?.open) this.handle.prepare(`PRAGMA wal_autocheckpoint = ${pages}`).all();
    };
    const existing = checkpointers.get(this.file);
    if (existing) {
      setAutocheckpoint(existing.running);
      return;
    }
    const entry: CheckpointerEntry = { running: false };
    checkpointers.set(this.file, entry);
    entry.checkpointer = startSqliteCheckpointer({
      file: this.file,
      onRunning: (running) => {
        entry.running = running;
        setAutocheckpoint(running);
      },
    });
  }
}

/**
 * Moves the WAL checkpoints of the SQLite files this process opens from then on to a thread of
 * their own (sqlite-checkpointer.ts). The server calls it at start; CLI commands and tests keep
 * SQLite's automatic checkpoint.
 */
export function checkpointSqliteOffTheEventLoop(): void {
  globalForDb.__meridianCheckpointWorker = true;
}

/** Stops the WAL checkpointers that checkpointSqliteOffTheEventLoop started (tests). */
export async function stopSqliteCheckpointers(): Promise<void> {
  globalForDb.__meridianCheckpointWorker = false;
  const checkpointers = globalForDb.__meridianCheckpointers;
  if (!checkpointers) return;
  const entries = [...checkpointers.values()];
  checkpointers.clear();
  await Promise.all(entries.map((e) => e.checkpointer?.stop()));
}

// On globalThis: Next evaluates modules more than once (route handlers and pages), and each
// evaluation would otherwise open its own connection pool / SQLite handle, or not recognize a
// client that another evaluation created.
const globalForDb = globalThis as typeof globalThis & {
  __meridianCheckpointWorker?: boolean;
  __meridianCheckpointers?: Map<string, CheckpointerEntry>;
  __meridianDb?: Map<string, Db>;
  __meridianDbProviders?: WeakMap<Db, DatabaseProvider>;
  __meridianSql?: WeakMap<Db, SqlDatabase>;
};
const providers = (globalForDb.__meridianDbProviders ??= new WeakMap());
const executors = (globalForDb.__meridianSql ??= new WeakMap());

/** Creates a new client (no caching). App code uses getDb(); tests and tools may use this. */
export function createDb(databaseUrl: string): Db {
  const target = parseDatabaseUrl(databaseUrl);
  let db: Db;
  if (target.provider === 'sqlite') {
    mkdirSync(path.dirname(target.file), { recursive: true });
    const adapter = new ConfiguredSQLite3(target.file);
    const sqlite = new SqlitePrismaClient({ adapter });
    db = sqlite;
    const handle = async () => {
      if (!adapter.handle?.open) await sqlite.$connect();
      if (!adapter.handle) throw new Error('the SQLite connection did not open');
      return adapter.handle;
    };
    executors.set(db, createSqliteExecutor(handle, adapter.lock));
  } else {
    // One pool for Prisma and for the direct SQL executor; $disconnect ends it (even when only
    // the executor used it, so Prisma never connected).
    const pool = new pg.Pool({ connectionString: target.url, allowExitOnIdle: true });
    pool.on('error', (e) => console.error('[db] idle PostgreSQL connection failed', e.message));
    const postgres = new PostgresPrismaClient({ adapter: new PrismaPg(pool) });
    const disconnect = postgres.$disconnect.bind(postgres);
    postgres.$disconnect = async () => {
      await disconnect();
      if (!pool.ended) await pool.end();
    };
    db = postgres as unknown as Db;
    executors.set(db, createPostgresExecutor(pool));
  }
  providers.set(db, target.provider);
  return db;
}

/** Plain SQL on the same connection (SQLite) or pool (PostgreSQL) as `db` (sql-database.ts). */
export function sqlOf(db: Db): SqlDatabase {
  const sql = executors.get(db);
  if (!sql) throw new Error('sqlOf: client was not created by createDb()');
  return sql;
}

/** Which database a client talks to (for the few statements that differ, e.g. locks). */
export function providerOf(db: Db): DatabaseProvider {
  const provider = providers.get(db);
  if (!provider) throw new Error('providerOf: client was not created by createDb()');
  return provider;
}

/** The process-wide client for the configured DATABASE_URL. */
export function getDb(): Db {
  const url = getEnv().databaseUrl;
  const cache = (globalForDb.__meridianDb ??= new Map());
  let db = cache.get(url);
  if (!db) {
    db = createDb(url);
    cache.set(url, db);
  }
  return db;
}

export async function disconnectDb(): Promise<void> {
  const cache = globalForDb.__meridianDb;
  if (!cache) return;
  const clients = [...cache.values()];
  cache.clear();
  await Promise.all(clients.map((db) => db.$disconnect()));
}
