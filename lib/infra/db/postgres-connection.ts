import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { commitHooks, type SqlDatabase, type SqlRow, type SqlRunner, type SqlTransaction, type SqlValue } from './sql-database';

/**
 * The one pg Pool of this process for a PostgreSQL database, shared by Prisma Client (PrismaPg
 * is given the pool) and the hot-path SQL. Isolation by construction: a transaction, Prisma's or
 * ours, holds a client of its own from BEGIN to COMMIT; other statements take any idle client.
 */

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

// Prisma keeps DateTime in `timestamp(3)` columns as UTC; pg would read them as local time.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP_WITHOUT_TIME_ZONE) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

const numbered = new Map<string, string>();

/** `?` placeholders as `$1, $2, …` (our statements have no `?` inside literals). */
function numberPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${(n += 1)}`);
    numbered.set(sql, text);
  }
  return text;
}

/** Dates as UTC text: a `timestamp` column ignores the zone, so it stores what Prisma would. */
function bind(value: SqlValue | undefined): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function runnerOn(client: Pick<pg.Pool | pg.PoolClient, 'query'>): SqlRunner {
  return {
    async query<T = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      const result = await client.query({ text: numberPlaceholders(sql), values: params.map(bind), types });
      return result.rows as T[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
      const result = await client.query({ text: numberPlaceholders(sql), values: params.map(bind), types });
      return result.rowCount ?? 0;
    },
  };
}

export type PostgresConnection = {
  /** For `new PrismaClient({ adapter })`. */
  readonly prismaAdapter: SqlDriverAdapterFactory;
  /** The hot-path SQL on the same pool. */
  readonly sql: SqlDatabase;
  /** Ends the pool (also when only the hot-path SQL used it, so Prisma never connected). */
  close(): Promise<void>;
};

export function createPostgresConnection(url: string): PostgresConnection {
  const pool = new pg.Pool({ connectionString: url, allowExitOnIdle: true });
  pool.on('error', (e) => console.error('[db] idle PostgreSQL connection failed', e.message));
  const sql: SqlDatabase = {
    provider: 'postgresql',
    ...runnerOn(pool),
    async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const hooks = commitHooks();
      let broken = false;
      try {
        await client.query('BEGIN');
        try {
          const result = await fn({ ...runnerOn(client), afterCommit: hooks.register });
          await client.query('COMMIT');
          hooks.committed();
          return result;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => (broken = true));
          throw e;
        }
      } finally {
        client.release(broken);
      }
    },
  };
  return {
    prismaAdapter: new PrismaPg(pool),
    sql,
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
