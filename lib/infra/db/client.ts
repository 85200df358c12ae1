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
    return gateStatementsBehindTransactions(connection, this.lock);
  }
}

// On globalThis: Next evaluates modules more than once (route handlers and pages), and each
// evaluation would otherwise open its own connection pool / SQLite handle, or not recognize a
// client that another evaluation created.
const globalForDb = globalThis as typeof globalThis & {
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
