// Prisma CLI configuration (Prisma 6.19). Tooling, so it reads process.env directly.
// The JS schema engine talks to the database through the same driver adapters as the app:
// Prisma's native engines would be downloaded on first use, which fails offline.
// The app does not need the CLI to migrate: lib/infra/db/migration-runner.ts applies the same
// migrations and records them in the same `_prisma_migrations` table.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { defineConfig } from 'prisma/config';
import { parseDatabaseUrl } from './lib/infra/db/database-url';

// Same default and parsing as the app (lib/config/env.ts, lib/infra/db/database-url.ts).
const target = parseDatabaseUrl(process.env.DATABASE_URL || 'file:./data/meridian.db');

// Catalog types adapter-pg does not map, read as text: "char" (18), name (19) and their arrays.
const PG_TEXT_OID = 25;
const PG_TEXT_ARRAY_OID = 1009;
const PG_OID_AS_TEXT = new Map([
  [18, PG_TEXT_OID],
  [19, PG_TEXT_OID],
  [1002, PG_TEXT_ARRAY_OID],
  [1003, PG_TEXT_ARRAY_OID],
]);

// Workarounds for the JS schema engine of Prisma 6.19, so that `migrate deploy|status|diff`
// (including `--from-migrations`, which replays migrations on a shadow database) work offline.
// They patch only this CLI process; the app does not load this file.

// prisma/orm#27403: the engine reads catalog columns of type `name` and "char", which adapter-pg
// rejects ("Column type 'name' could not be deserialized"). Report them as text. Patched on the
// prototype so that every pool of this process (main and shadow database) is covered.
function reportCatalogColumnsAsText(): void {
  const fix = (res: unknown) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
        field.dataTypeID = PG_OID_AS_TEXT.get(field.dataTypeID) ?? field.dataTypeID;
      }
    }
    return res;
  };
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __catalogAsText?: true };
  if (proto.__catalogAsText) return;
  const query = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : fix(res));
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    return result instanceof Promise ? result.then(fix) : result;
  };
  proto.__catalogAsText = true;
}

// The engine replays each migration on the shadow database with executeRaw, which
// better-sqlite3 runs as a single statement ("contains more than one statement"): run
// parameterless SQL as a script instead.
class SQLiteForCli extends PrismaBetterSQLite3 {
  override async connectToShadowDb() {
    const shadow = await super.connectToShadowDb();
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await shadow.executeScript(query.sql);
      return 0;
    };
    return shadow;
  }
}

// adapter-pg's own shadow database is dropped while its pool is still connected, which fails
// ("being accessed by other users") and leaves it behind: close the pool first.
class PostgresForCli extends PrismaPg {
  constructor(private readonly clientConfig: pg.PoolConfig) {
    super(clientConfig);
  }

  override async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const pool = new pg.Pool({ ...this.clientConfig, database });
    const shadow = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try {
        await dispose();
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      } finally {
        await main.dispose();
      }
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  // `--schema` on the command line still wins (npm run db:generate generates both clients).
  schema: target.provider === 'postgresql' ? 'prisma/postgres/schema.prisma' : 'prisma/sqlite/schema.prisma',
  async adapter() {
    if (target.provider === 'postgresql') {
      reportCatalogColumnsAsText();
      // Discrete fields rather than a connectionString, which would override `database` when
      // the shadow database is opened with `{ ...config, database }`.
      return new PostgresForCli(parseIntoClientConfig(target.url));
    }
    // target.file is relative to the working directory, as in the app (not to the schema file).
    mkdirSync(path.dirname(target.file), { recursive: true });
    return new SQLiteForCli({ url: target.file });
  },
});
