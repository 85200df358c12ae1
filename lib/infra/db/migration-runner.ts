import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import pg from 'pg';
import { getEnv } from '../../config/env';
import { parseDatabaseUrl, type DatabaseProvider } from './database-url';

/**
 * Applies the committed migrations (prisma/<provider>/migrations) and records them in Prisma's
 * `_prisma_migrations` table with Prisma's checksum, so `prisma migrate status|deploy|resolve`
 * work on the same database. Why not `prisma migrate deploy` itself: it does work offline (Prisma
 * 6.19's schema engine is the WebAssembly build in node_modules/prisma/build; @prisma/engines has
 * no native binary, its download script being blocked), but through a driver adapter it does not
 * create a missing PostgreSQL database, it needs prisma.config.ts's patch of pg's client on
 * PostgreSQL, it leaves a failed migration recorded as failed (P3009) where this rolls it back with
 * its row, and it costs ~1.5 s of CPU per run against milliseconds here (every test database,
 * every start). Rules:
 * 1. one migrator at a time: PostgreSQL advisory lock (the id Prisma Migrate uses, so the CLI
 *    waits too); SQLite `BEGIN IMMEDIATE` (the write lock; a second process waits for it);
 * 2. each migration and its bookkeeping row commit together, or not at all;
 * 3. a migration recorded as started but not finished (failed under the CLI) stops start-up,
 *    as `prisma migrate deploy` does (P3009): fix it with `prisma migrate resolve`;
 * 4. a missing SQLite file or PostgreSQL database is created (the latter needs CREATEDB).
 */

export type MigrationResult = {
  /** Names of the migrations applied by this call, in order. */
  applied: string[];
  /** Applied migrations whose migration.sql changed since (Prisma warns about these too). */
  modified: string[];
};

type LocalMigration = { name: string; sql: string; checksum: string };
type AppliedRow = { name: string; checksum: string; finished: boolean; rolledBack: boolean };

// Prisma Migrate's advisory lock id (schema-engine, postgres flavour).
const PRISMA_MIGRATE_LOCK_ID = 72707369;
const SQLITE_MIGRATION_LOCK_TIMEOUT_MS = 60_000;

const PRISMA_MIGRATIONS_TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
} as const;

const SELECT_APPLIED = `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"`;

export function defaultMigrationsDir(provider: DatabaseProvider, cwd: string = process.cwd()): string {
  return path.join(cwd, 'prisma', provider === 'sqlite' ? 'sqlite' : 'postgres', 'migrations');
}

/** Reads `<dir>/<name>/migration.sql` in name order; checks migration_lock.toml's provider. */
export function readMigrations(dir: string, provider: DatabaseProvider): LocalMigration[] {
  if (!existsSync(dir)) throw new Error(`No migrations directory at ${dir}`);
  const lockFile = path.join(dir, 'migration_lock.toml');
  if (existsSync(lockFile)) {
    const locked = /provider\s*=\s*"([^"]+)"/.exec(readFileSync(lockFile, 'utf8'))?.[1];
    if (locked && locked !== provider) {
      throw new Error(`Migrations in ${dir} are for ${locked}, but DATABASE_URL is ${provider}`);
    }
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      // Prisma's checksum: SHA-256 of the file's bytes, hex.
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function plan(local: LocalMigration[], rows: AppliedRow[]): { pending: LocalMigration[]; modified: string[] } {
  const failed = rows.filter((r) => !r.finished && !r.rolledBack).map((r) => r.name);
  if (failed.length > 0) {
    throw new Error(
      `Migration ${failed.join(', ')} started but did not finish. Repair the database, then run ` +
        '`prisma migrate resolve --applied <name>` or `--rolled-back <name>`.',
    );
  }
  const applied = new Map(rows.filter((r) => r.finished && !r.rolledBack).map((r) => [r.name, r.checksum]));
  return {
    pending: local.filter((m) => !applied.has(m.name)),
    modified: local.filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum).map((m) => m.name),
  };
}

function errorWith(message: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`${message}: ${reason}`, { cause });
}

const text = { scalarType: 'string', arity: 'scalar' } as const;

async function migrateSqlite(file: string, local: LocalMigration[]): Promise<MigrationResult> {
  mkdirSync(path.dirname(file), { recursive: true });
  const connection = await new PrismaBetterSQLite3({ url: file, timeout: SQLITE_MIGRATION_LOCK_TIMEOUT_MS }).connect();
  try {
    // Persistent in the file; set before any transaction (journal_mode cannot change inside one).
    await connection.executeScript('PRAGMA journal_mode = WAL;');
    await connection.executeScript('BEGIN IMMEDIATE;');
    try {
      await connection.executeScript(PRISMA_MIGRATIONS_TABLE.sqlite);
      const result = await connection.queryRaw({ sql: SELECT_APPLIED, args: [], argTypes: [] });
      const rows = result.rows.map((r) => ({
        name: String(r[0]),
        checksum: String(r[1]),
        finished: r[2] !== null,
        rolledBack: r[3] !== null,
      }));
      const { pending, modified } = plan(local, rows);
      for (const migration of pending) {
        const startedAt = sqliteTimestamp(new Date());
        try {
          await connection.executeScript(migration.sql);
        } catch (e) {
          throw errorWith(`Migration ${migration.name} failed`, e);
        }
        await connection.executeRaw({
          sql: `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
                VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
          args: [randomUUID(), migration.checksum, sqliteTimestamp(new Date()), migration.name, startedAt],
          argTypes: [text, text, text, text, text],
        });
      }
      await connection.executeScript('COMMIT;');
      return { applied: pending.map((m) => m.name), modified };
    } catch (e) {
      await connection.executeScript('ROLLBACK;').catch(() => undefined);
      throw e;
    }
  } finally {
    await connection.dispose();
  }
}

// The format Prisma writes DateTime values in SQLite.
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

function pgErrorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Connects, creating the database first if it does not exist (as `prisma migrate deploy` does). */
async function connectCreatingDatabase(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => undefined);
    if (pgErrorCode(e) !== '3D000') throw e; // invalid_catalog_name: no such database
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (e) {
    if (pgErrorCode(e) !== '42P04') throw e; // duplicate_database: another process was first
  } finally {
    await admin.end();
  }
  const retry = new pg.Client({ connectionString: url });
  await retry.connect();
  return retry;
}

async function migratePostgres(url: string, local: LocalMigration[]): Promise<MigrationResult> {
  const client = await connectCreatingDatabase(url);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
    try {
      await client.query(PRISMA_MIGRATIONS_TABLE.postgresql);
      const result = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
      }>(SELECT_APPLIED);
      const rows = result.rows.map((r) => ({
        name: r.migration_name,
        checksum: r.checksum,
        finished: r.finished_at !== null,
        rolledBack: r.rolled_back_at !== null,
      }));
      const { pending, modified } = plan(local, rows);
      for (const migration of pending) {
        await client.query('BEGIN');
        try {
          const startedAt = new Date();
          try {
            // No parameters: the simple query protocol runs a multi-statement script.
            await client.query(migration.sql);
          } catch (e) {
            throw errorWith(`Migration ${migration.name} failed`, e);
          }
          await client.query(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
             VALUES ($1, $2, now(), $3, $4, 1)`,
            [randomUUID(), migration.checksum, migration.name, startedAt],
          );
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      }
      return { applied: pending.map((m) => m.name), modified };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_ID]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations for DATABASE_URL (or `options.databaseUrl`). Idempotent; safe when
 * several processes start at once (they wait for each other's lock).
 */
export async function migrateDatabase(
  options: { databaseUrl?: string; migrationsDir?: string } = {},
): Promise<MigrationResult> {
  const target = parseDatabaseUrl(options.databaseUrl ?? getEnv().databaseUrl);
  const local = readMigrations(options.migrationsDir ?? defaultMigrationsDir(target.provider), target.provider);
  return target.provider === 'sqlite' ? migrateSqlite(target.file, local) : migratePostgres(target.url, local);
}
