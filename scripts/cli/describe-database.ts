import { parseDatabaseUrl } from '../../lib/infra/db/database-url';

/** A printable name for DATABASE_URL: the SQLite file, or the PostgreSQL host and database without credentials. */
export function describeDatabase(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider === 'sqlite') return `SQLite ${target.file}`;
  try {
    const url = new URL(target.url);
    return `PostgreSQL ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}
