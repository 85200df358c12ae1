// prisma/sqlite/schema.prisma is the schema we edit; prisma/postgres/schema.prisma is written from
// it here (Prisma takes one provider per schema). `npm run db:generate` runs this first, and
// lib/infra/db/schema-parity.test.ts checks that the committed file is its output.
//   npx tsx prisma/derive-postgres-schema.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SQLITE_SCHEMA = path.join(HERE, 'sqlite', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(HERE, 'postgres', 'schema.prisma');

/** Every line that differs, as [SQLite's, PostgreSQL's]; each must occur exactly once. */
const DIFFERENCES: readonly (readonly [string, string])[] = [
  [
    '// The source schema: prisma/postgres/schema.prisma is generated from it (prisma/derive-postgres-schema.ts).',
    '// Generated from prisma/sqlite/schema.prisma by prisma/derive-postgres-schema.ts: edit that one.',
  ],
  ['  output     = "../../lib/infra/db/generated/sqlite"', '  output     = "../../lib/infra/db/generated/postgres"'],
  ['  provider = "sqlite"', '  provider = "postgresql"'],
  ['  url      = "file:./not-used.db"', '  url      = "postgresql://not-used.invalid/not-used"'],
];

export function derivePostgresSchema(sqlite: string): string {
  const lines = sqlite.split('\n');
  for (const [from, to] of DIFFERENCES) {
    const at = lines.flatMap((line, index) => (line === from ? [index] : []));
    if (at.length !== 1) throw new Error(`prisma/sqlite/schema.prisma: expected the line ${JSON.stringify(from)} once, found it ${at.length} times`);
    lines[at[0]!] = to;
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(POSTGRES_SCHEMA, derivePostgresSchema(readFileSync(SQLITE_SCHEMA, 'utf8')));
}
