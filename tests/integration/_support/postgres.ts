import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Empties the scratch database: drops and recreates its `public` schema, so the server's
 * `migrate` starts from nothing and every run sees the same state.
 */
export async function resetPostgresDatabase(url: string): Promise<void> {
  const database = new URL(url).pathname.replace(/^\//, '');
  if (database !== 'test') {
    // This wipes a schema: refuse anything that does not look like the scratch database.
    throw new Error(`TEST_POSTGRES_URL must name the scratch database "test" (got "${database}")`);
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`Cannot reach PostgreSQL at ${url} (set TEST_POSTGRES_URL): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

/**
 * A database of its own on the PostgreSQL server of TEST_POSTGRES_URL (`<prefix>_<random>`), for
 * a test file that must run on PostgreSQL whichever database the rest of the run uses. `drop`
 * removes it, ending any connection still open to it.
 */
export async function createScratchPostgresDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_POSTGRES_URL || DEFAULT_TEST_POSTGRES_URL;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    try {
      await client.connect();
    } catch (e) {
      throw new Error(`Cannot reach PostgreSQL at ${serverUrl} (set TEST_POSTGRES_URL): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
