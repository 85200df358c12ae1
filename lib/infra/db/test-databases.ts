// Test support (not a test file): throw-away databases for tests that need a real one.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb, type Db } from './client';
import { migrateDatabase } from './migration-runner';

export type TestDatabase = { name: 'sqlite' | 'postgresql'; url: string; drop(): Promise<void> };

/** PostgreSQL base URL for tests (CI sets it); PostgreSQL cases are skipped without it. */
export const TEST_POSTGRES_URL: string | undefined = process.env.TEST_POSTGRES_URL || undefined;

/** A fresh SQLite file in its own temp directory. */
export function createTempSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'meridian-test-'));
  return {
    name: 'sqlite',
    url: `file:${path.join(dir, 'test.db')}`,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A scratch database next to TEST_POSTGRES_URL's (CREATE DATABASE needs CREATEDB), so tests
 * neither depend on nor disturb what is in that database.
 */
export async function createScratchPostgresDatabase(baseUrl: string = TEST_POSTGRES_URL ?? ''): Promise<TestDatabase> {
  if (!baseUrl) throw new Error('TEST_POSTGRES_URL is not set');
  const name = `meridian_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name: 'postgresql',
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export type MigratedTestDatabase = { database: TestDatabase; db: Db; close(): Promise<void> };

/** Creates, migrates and connects; `close` disconnects and drops. */
export async function openMigratedTestDatabase(provider: 'sqlite' | 'postgresql'): Promise<MigratedTestDatabase> {
  const database = provider === 'sqlite' ? createTempSqliteDatabase() : await createScratchPostgresDatabase();
  await migrateDatabase({ databaseUrl: database.url });
  const db = createDb(database.url);
  return {
    database,
    db,
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

/**
 * The backends a database test runs on: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set
 * (`npm test` and CI set it). Absent backends define no tests at all rather than skipped ones.
 */
export const TEST_BACKENDS = [
  { provider: 'sqlite' as const, enabled: true },
  ...(TEST_POSTGRES_URL ? [{ provider: 'postgresql' as const, enabled: true }] : []),
];

/** Runs lib/infra/db/test-worker.ts in `n` processes at once; resolves with each one's JSON output. */
export async function runWorkers(n: number, args: string[]): Promise<unknown[]> {
  const worker = fileURLToPath(new URL('./test-worker.ts', import.meta.url));
  const runOne = () =>
    new Promise<unknown>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', worker, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`worker failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null'));
      });
    });
  return Promise.all(Array.from({ length: n }, runOne));
}
