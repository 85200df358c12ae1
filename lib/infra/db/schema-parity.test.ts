import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { derivePostgresSchema, POSTGRES_SCHEMA, SQLITE_SCHEMA } from '../../../prisma/derive-postgres-schema';

// prisma/sqlite/schema.prisma is the source; prisma/postgres/schema.prisma is generated from it
// (prisma/derive-postgres-schema.ts, run by `npm run db:generate`).

const PRISMA_DIR = join(__dirname, '..', '..', '..', 'prisma');

function migrationNames(provider: 'sqlite' | 'postgres'): string[] {
  return readdirSync(join(PRISMA_DIR, provider, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('the SQLite and PostgreSQL Prisma schemas', () => {
  const sqlite = readFileSync(SQLITE_SCHEMA, 'utf8');
  const postgres = readFileSync(POSTGRES_SCHEMA, 'utf8');

  it('PostgreSQL’s is generated from SQLite’s: run `npm run db:generate` after editing prisma/sqlite/schema.prisma', () => {
    expect(postgres).toBe(derivePostgresSchema(sqlite));
  });

  it('differ only in the header, the client’s folder and the datasource', () => {
    const sqliteLines = sqlite.split('\n');
    const differing = postgres.split('\n').filter((line, index) => line !== sqliteLines[index]);
    expect(differing).toEqual([
      '// Generated from prisma/sqlite/schema.prisma by prisma/derive-postgres-schema.ts: edit that one.',
      '  output     = "../../lib/infra/db/generated/postgres"',
      '  provider = "postgresql"',
      '  url      = "postgresql://not-used.invalid/not-used"',
    ]);
    expect(sqlite).toMatch(/^\s*provider = "sqlite"$/m);
    expect(sqlite).toMatch(/^model Account \{$/m);
  });

  it('have the same migrations, in the same order', () => {
    const names = migrationNames('sqlite');
    expect(names.length).toBeGreaterThan(0);
    expect(migrationNames('postgres')).toEqual(names);
  });

  it('would be caught drifting: a hand edit of the PostgreSQL schema fails the comparison', () => {
    const drifts = [
      postgres.replace('@default(false) @map("email_verified")', '@map("email_verified")'),
      postgres.replace('passwordHash          String?', 'passwordHash          String '),
      postgres.replace('@@index([expiresAt])', ''),
      postgres.replace('@@map("accounts")', '@@map("account")'),
      postgres.replace('@id @default(uuid())', '@id @default(cuid())'),
    ];
    for (const drifted of drifts) {
      expect(drifted).not.toBe(postgres);
      expect(drifted).not.toBe(derivePostgresSchema(sqlite));
    }
  });

  it('refuses a source schema whose provider lines it does not recognize', () => {
    expect(() => derivePostgresSchema(sqlite.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/expected the line/);
  });
});
