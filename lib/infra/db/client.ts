import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { getEnv } from '../../config/env';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client';
import { parseDatabaseUrl, type DatabaseProvider } from './database-url';
import { gateStatementsBehindTransactions } from './sqlite-transaction-gate';

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

/** better-sqlite3 adapter that sets our pragmas on the connection it opens. */
class ConfiguredSQLite3 extends PrismaBetterSQLite3 {
  override async connect() {
    const connection = await super.connect();
    await connection.executeScript(SQLITE_PRAGMAS);
    return gateStatementsBehindTransactions(connection);
  }
}

// On globalThis: Next evaluates modules more than once (route handlers and pages), and each
// evaluation would otherwise open its own connection pool / SQLite handle, or not recognize a
// client that another evaluation created.
const globalForDb = globalThis as typeof globalThis & {
  __meridianDb?: Map<string, Db>;
  __meridianDbProviders?: WeakMap<Db, DatabaseProvider>;
};
const providers = (globalForDb.__meridianDbProviders ??= new WeakMap());

/** Creates a new client (no caching). App code uses getDb(); tests and tools may use this. */
export function createDb(databaseUrl: string): Db {
  const target = parseDatabaseUrl(databaseUrl);
  let db: Db;
  if (target.provider === 'sqlite') {
    mkdirSync(path.dirname(target.file), { recursive: true });
    db = new SqlitePrismaClient({
      adapter: new ConfiguredSQLite3({ url: target.file, timeout: SQLITE_BUSY_TIMEOUT_MS }),
    });
  } else {
    db = new PostgresPrismaClient({
      adapter: new PrismaPg({ connectionString: target.url }),
    }) as unknown as Db;
  }
  providers.set(db, target.provider);
  return db;
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
