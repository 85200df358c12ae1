// Prisma CLI configuration (Prisma 6.19). Tooling, so it reads process.env directly.
// The JS schema engine talks to the database through the same driver adapters as the app:
// Prisma's native engines would be downloaded on first use, which fails offline.
// The app does not need the CLI to migrate: lib/infra/db/migrate.ts applies the same
// migrations and records them in the same `_prisma_migrations` table.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { defineConfig } from 'prisma/config';

const databaseUrl = process.env.DATABASE_URL || 'file:./data/meridian.db';
const isPostgres = /^postgres(ql)?:\/\//.test(databaseUrl);
if (!isPostgres && !databaseUrl.startsWith('file:')) {
  throw new Error('DATABASE_URL must start with file: or postgres://');
}

const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;

// prisma/orm#27403: the schema engine reads catalog columns of type `name`, which adapter-pg
// 6.19 rejects ("Column type 'name' could not be deserialized"), so every migrate command
// fails on PostgreSQL. Report those columns as text; only the CLI uses this pool.
function poolWithNameAsText(connectionString: string): pg.Pool {
  const fix = (res: unknown) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
        if (field.dataTypeID === PG_NAME_OID) field.dataTypeID = PG_TEXT_OID;
      }
    }
    return res;
  };
  const pool = new pg.Pool({ connectionString });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // pg-pool calls this with a callback; the adapter's transactions call it without one.
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args.at(-1);
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : fix(res));
        return query(...args);
      }
      const result = query(...args);
      return result instanceof Promise ? result.then(fix) : result;
    };
  });
  return pool;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  // `--schema` on the command line still wins (npm run db:generate generates both clients).
  schema: isPostgres ? 'prisma/postgres/schema.prisma' : 'prisma/sqlite/schema.prisma',
  async adapter() {
    if (isPostgres) {
      return new PrismaPg(poolWithNameAsText(databaseUrl), { disposeExternalPool: true });
    }
    // Relative to the working directory, as in lib/infra/db/client.ts (not to the schema file).
    const file = path.resolve(process.cwd(), databaseUrl.slice('file:'.length));
    mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url: file });
  },
});
