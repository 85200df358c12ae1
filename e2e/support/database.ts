import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The server's DATABASE_URL (a SQLite file), set by the global setup for the workers. */
export const DATABASE_URL_ENV = 'MERIDIAN_E2E_DATABASE_URL';

type Statement = { get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
type SqliteDatabase = { prepare(sql: string): Statement; close(): void };
type SqliteConstructor = new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteDatabase;

export function e2eDatabaseUrl(): string {
  const url = process.env[DATABASE_URL_ENV];
  if (!url) throw new Error(`${DATABASE_URL_ENV} is not set: run the journeys with \`npx playwright test\``);
  return url;
}

/** Runs `read` on a read-only connection to the journeys' SQLite database (what the server wrote, seen from outside). */
function withDatabase<T>(read: (db: SqliteDatabase) => T): T {
  const url = e2eDatabaseUrl();
  if (!url.startsWith('file:')) throw new Error(`journeys read SQLite only, not ${url}`);
  const load = createRequire(join(process.cwd(), 'package.json'));
  const Database = load('better-sqlite3') as SqliteConstructor;
  const db = new Database(url.slice('file:'.length), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export type StoredAccount = {
  id: string;
  email: string;
  status: string;
  countryRegionCode: string;
  locale: string;
  emailVerified: boolean;
  hasPassword: boolean;
  birthDate: string | null;
  steps: string[];
  acceptances: { documentId: string; version: string; locale: string }[];
  /** Linked social identities, as "provider:subject". */
  upstreamIdentities: string[];
};

/** The account row for an address (stored lower-cased), with its recorded steps and acceptances; null when none. */
export function findStoredAccount(email: string): StoredAccount | null {
  return withDatabase((db) => {
    const row = db
      .prepare('SELECT id, email, status, country_region_code, locale, email_verified, password_hash, birth_date FROM accounts WHERE email = ?')
      .get(email.toLowerCase()) as
      | { id: string; email: string; status: string; country_region_code: string; locale: string; email_verified: number; password_hash: string | null; birth_date: string | null }
      | undefined;
    if (!row) return null;
    const steps = (db.prepare('SELECT step FROM account_steps WHERE account_id = ? ORDER BY step').all(row.id) as { step: string }[]).map((r) => r.step);
    const acceptances = db
      .prepare('SELECT document_id, version, locale FROM terms_acceptances WHERE account_id = ? ORDER BY accepted_at')
      .all(row.id) as { document_id: string; version: string; locale: string }[];
    const upstream = db.prepare('SELECT provider, subject FROM upstream_identities WHERE account_id = ? ORDER BY provider').all(row.id) as { provider: string; subject: string }[];
    return {
      id: row.id,
      email: row.email,
      status: row.status,
      countryRegionCode: row.country_region_code,
      locale: row.locale,
      emailVerified: row.email_verified === 1,
      hasPassword: row.password_hash !== null,
      birthDate: row.birth_date,
      steps,
      acceptances: acceptances.map((a) => ({ documentId: a.document_id, version: a.version, locale: a.locale })),
      upstreamIdentities: upstream.map((u) => `${u.provider}:${u.subject}`),
    };
  });
}
