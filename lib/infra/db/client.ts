import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { getEnv } from '../../config/env';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client';
import { parseDatabaseUrl, type DatabaseProvider } from './database-url';
import { createPostgresConnection } from './postgres-connection';
import type { SqlDatabase } from './sql-database';
import { createSqliteConnection } from './sqlite-connection';

// The database module: one connection (SQLite) or pool (PostgreSQL) per database and process,
// opened here and shared by Prisma Client and the hot-path SQL. README.md says which to use when.

/** The Prisma client. Typed as the SQLite client; the PostgreSQL client has the same model API. */
export type Db = SqlitePrismaClient;

/** Transaction client handed to `db.$transaction(async (tx) => …)`. */
export type DbTransaction = Parameters<Parameters<Db['$transaction']>[0]>[0];

// On globalThis: Next evaluates modules more than once (route handlers and pages), and each
// evaluation would otherwise open its own connection, or not recognize a client that another
// evaluation created.
const globalForDb = globalThis as typeof globalThis & {
  __meridianDb?: Map<string, Db>;
  __meridianDbConnections?: WeakMap<Db, { provider: DatabaseProvider; sql: SqlDatabase }>;
};
const connections = (globalForDb.__meridianDbConnections ??= new WeakMap());

/**
 * A new client on a connection of its own (no caching). App code uses getDb(); tests and tools
 * may use this. `$disconnect()` closes the connection.
 */
export function createDb(databaseUrl: string): Db {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider === 'sqlite') mkdirSync(path.dirname(target.file), { recursive: true });
  const connection = target.provider === 'sqlite' ? createSqliteConnection(target.file) : createPostgresConnection(target.url);
  const db =
    target.provider === 'sqlite'
      ? new SqlitePrismaClient({ adapter: connection.prismaAdapter })
      : (new PostgresPrismaClient({ adapter: connection.prismaAdapter }) as unknown as Db);
  const disconnect = db.$disconnect.bind(db);
  db.$disconnect = async () => {
    await disconnect();
    await connection.close();
  };
  connections.set(db, { provider: target.provider, sql: connection.sql });
  return db;
}

function connectionOf(db: Db, caller: string): { provider: DatabaseProvider; sql: SqlDatabase } {
  const connection = connections.get(db);
  if (!connection) throw new Error(`${caller}: client was not created by createDb()`);
  return connection;
}

/** The hot-path SQL on `db`'s connection (sql-database.ts). */
export function sqlOf(db: Db): SqlDatabase {
  return connectionOf(db, 'sqlOf').sql;
}

/** Which database a client talks to (for the few statements that differ, e.g. locks). */
export function providerOf(db: Db): DatabaseProvider {
  return connectionOf(db, 'providerOf').provider;
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
