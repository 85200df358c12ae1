import { createRequire } from 'node:module';
import pg from 'pg';
import { parseDatabaseUrl } from '../../lib/infra/db/database-url';

export type StoredSigningKey = { kid: string; privateJwk: string };

type RawSqlite = { prepare(sql: string): { all(): unknown[]; run(...values: unknown[]): unknown }; close(): void };
type RawSqliteConstructor = new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => RawSqlite;

/** Opens the SQLite file itself (better-sqlite3 ships no types; this is all the tests use). */
export function openSqliteFile(databaseUrl: string, options: { readonly?: boolean } = {}): RawSqlite {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider !== 'sqlite') throw new Error('not a SQLite URL');
  const Database = createRequire(import.meta.url)('better-sqlite3') as RawSqliteConstructor;
  return new Database(target.file, { fileMustExist: true, ...options });
}

/** The signing_keys rows as someone holding a copy of the database sees them: no code of ours. */
export async function readStoredSigningKeys(databaseUrl: string): Promise<StoredSigningKey[]> {
  const sql = 'SELECT kid, private_jwk AS "privateJwk" FROM signing_keys ORDER BY kid';
  if (parseDatabaseUrl(databaseUrl).provider === 'sqlite') {
    const file = openSqliteFile(databaseUrl, { readonly: true });
    try {
      return file.prepare(sql).all() as StoredSigningKey[];
    } finally {
      file.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<StoredSigningKey>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Whether a stored value gives the key away: JSON, or any JWK member in the clear. */
export function readableAsJwk(stored: string): boolean {
  try {
    JSON.parse(stored);
    return true;
  } catch {
    return /"(kty|d|p|q|dp|dq|qi|crv|x|y|n|e)"\s*:/.test(stored);
  }
}
