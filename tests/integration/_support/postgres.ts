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
