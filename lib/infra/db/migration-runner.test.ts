import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from './client';
import { defaultMigrationsDir, migrateDatabase, readMigrations } from './migration-runner';
import {
  createScratchPostgresDatabase,
  createTempSqliteDatabase,
  runWorkers,
  TEST_BACKENDS,
  type TestDatabase,
} from './test-databases';

function writeMigrations(dir: string, provider: string, migrations: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'migration_lock.toml'), `provider = "${provider}"\n`);
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
}

async function tableNames(db: Db, provider: string): Promise<string[]> {
  const rows =
    provider === 'sqlite'
      ? await db.$queryRaw<{ name: string }[]>`SELECT name FROM sqlite_master WHERE type = 'table'`
      : await db.$queryRaw<{ name: string }[]>`SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public'`;
  return rows.map((r) => r.name).sort();
}

describe('readMigrations', () => {
  it('reads the committed migrations with Prisma checksums', () => {
    const migrations = readMigrations(defaultMigrationsDir('sqlite'), 'sqlite');
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations[0]?.name).toMatch(/^\d{14}_init$/);
    const file = path.join(defaultMigrationsDir('sqlite'), migrations[0]?.name ?? '', 'migration.sql');
    expect(migrations[0]?.checksum).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it("refuses the other provider's migrations", () => {
    expect(() => readMigrations(defaultMigrationsDir('postgresql'), 'sqlite')).toThrow(/are for postgresql/);
  });
});

for (const backend of TEST_BACKENDS) {
  const provider = backend.provider;
  const newDatabase = () => (provider === 'sqlite' ? Promise.resolve(createTempSqliteDatabase()) : createScratchPostgresDatabase());

  describe.runIf(backend.enabled)(`migrateDatabase on ${provider}`, () => {
    const dropLater: TestDatabase[] = [];
    let scratchDir: string;
    beforeAll(() => {
      scratchDir = mkdtempSync(path.join(tmpdir(), 'meridian-migrations-'));
    });
    afterAll(async () => {
      rmSync(scratchDir, { recursive: true, force: true });
      await Promise.all(dropLater.map((d) => d.drop()));
    });

    it('has committed migrations that produce exactly prisma/<provider>/schema.prisma', async () => {
      // Replays the migrations on a shadow database (SQLite: in memory; PostgreSQL: a scratch
      // database next to DATABASE_URL's) and diffs the result against the schema.
      const database = await newDatabase();
      dropLater.push(database);
      const folder = provider === 'sqlite' ? 'sqlite' : 'postgres';
      const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
      const args = ['migrate', 'diff', '--from-migrations', `prisma/${folder}/migrations`];
      args.push('--to-schema-datamodel', `prisma/${folder}/schema.prisma`, '--script', '--exit-code');
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: database.url } }, (error, out, err) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
        );
      });
      // Exit 2 means the schema changed without a migration: add one with
      // `prisma migrate diff --from-migrations … --to-schema-datamodel … --script`.
      expect({ code, drift: code === 0 ? '' : stdout || stderr }).toEqual({ code: 0, drift: '' });
    });

    it('applies the committed migrations once, in a form Prisma Migrate recognizes', async () => {
      const database = await newDatabase();
      dropLater.push(database);
      const committed = readMigrations(defaultMigrationsDir(provider), provider);
      const first = await migrateDatabase({ databaseUrl: database.url });
      expect(first).toEqual({ applied: committed.map((m) => m.name), modified: [] });
      expect(await migrateDatabase({ databaseUrl: database.url })).toEqual({ applied: [], modified: [] });

      const db = createDb(database.url);
      try {
        expect(await tableNames(db, provider)).toEqual(
          expect.arrayContaining(['_prisma_migrations', 'accounts', 'oidc_payloads', 'rate_limit_counters', 'signing_keys']),
        );
        const rows = await db.$queryRaw<{ migration_name: string; checksum: string; applied_steps_count: unknown }[]>`
          SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
        expect(rows.map((r) => [r.migration_name, r.checksum, Number(r.applied_steps_count)])).toEqual(
          committed.map((m) => [m.name, m.checksum, 1]),
        );
      } finally {
        await db.$disconnect();
      }
    });

    if (provider === 'postgresql') it('creates a missing PostgreSQL database', async () => {
      const scratch = await createScratchPostgresDatabase();
      await scratch.drop();
      dropLater.push(scratch);
      expect((await migrateDatabase({ databaseUrl: scratch.url })).applied.length).toBeGreaterThan(0);
    });

    it('applies once when several processes start at once', async () => {
      const database = await newDatabase();
      dropLater.push(database);
      const results = (await runWorkers(3, ['migrate', database.url])) as { applied: string[] }[];
      const committed = readMigrations(defaultMigrationsDir(provider), provider).map((m) => m.name);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(committed);
    });

    it('stops at a failing migration without recording it, then continues once it is fixed', async () => {
      const database = await newDatabase();
      dropLater.push(database);
      const dir = path.join(scratchDir, `${provider}-failing`);
      writeMigrations(dir, provider, {
        '20300101000000_one': 'CREATE TABLE "one" ("id" INTEGER PRIMARY KEY);',
        '20300102000000_two': 'CREATE TABLE "two" ("id" INTEGER PRIMARY KEY);\nTHIS IS NOT SQL;',
      });
      await expect(migrateDatabase({ databaseUrl: database.url, migrationsDir: dir })).rejects.toThrow(
        /Migration 20300102000000_two failed/,
      );
      const db = createDb(database.url);
      try {
        // The failed migration left nothing behind. (SQLite applies a run in one transaction;
        // PostgreSQL commits each migration on its own, so "one" stays applied there.)
        expect(await tableNames(db, provider)).not.toContain('two');
        writeMigrations(dir, provider, { '20300102000000_two': 'CREATE TABLE "two" ("id" INTEGER PRIMARY KEY);' });
        const fixed = await migrateDatabase({ databaseUrl: database.url, migrationsDir: dir });
        expect(fixed.applied).toEqual(provider === 'sqlite' ? ['20300101000000_one', '20300102000000_two'] : ['20300102000000_two']);
        expect(await tableNames(db, provider)).toEqual(expect.arrayContaining(['one', 'two']));
      } finally {
        await db.$disconnect();
      }
    });

    it('reports applied migrations whose file changed, and refuses to run past a half-applied one', async () => {
      const database = await newDatabase();
      dropLater.push(database);
      const dir = path.join(scratchDir, `${provider}-edited`);
      writeMigrations(dir, provider, { '20300101000000_one': 'CREATE TABLE "one" ("id" INTEGER PRIMARY KEY);' });
      await migrateDatabase({ databaseUrl: database.url, migrationsDir: dir });
      writeMigrations(dir, provider, { '20300101000000_one': 'CREATE TABLE "one" ("id" INTEGER PRIMARY KEY); -- edited' });
      expect(await migrateDatabase({ databaseUrl: database.url, migrationsDir: dir })).toEqual({
        applied: [],
        modified: ['20300101000000_one'],
      });

      const db = createDb(database.url);
      try {
        // What `prisma migrate deploy` leaves behind when a migration fails half-way.
        await db.$executeRaw`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
          VALUES ('half', 'x', '20300102000000_half', ${new Date()}, 0)`;
      } finally {
        await db.$disconnect();
      }
      await expect(migrateDatabase({ databaseUrl: database.url, migrationsDir: dir })).rejects.toThrow(
        /20300102000000_half started but did not finish/,
      );
    });
  });
}
