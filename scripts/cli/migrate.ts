import { getEnv } from '../../lib/config/env';
import type { Command } from './command';
import { describeDatabase } from './describe-database';
import { parseOptions } from './parse-options';

const NAME = 'migrate';

export const migrateCommand: Command = {
  name: NAME,
  summary: 'Apply pending database migrations to DATABASE_URL',
  help: `Usage: npm run idp -- migrate [--json]

Applies the committed migrations (prisma/<provider>/migrations) that DATABASE_URL does not have
yet. A SQLite file is created if missing. Safe to run again (applies nothing) and from several
processes at once (they wait for each other).

Options:
  --json    Print {"database", "applied": [...], "modified": [...]} instead of text`,
  async run(args, io) {
    const options = parseOptions(NAME, args, { json: { type: 'boolean' } });
    const databaseUrl = getEnv().databaseUrl;
    const database = describeDatabase(databaseUrl);
    const { migrateDatabase } = await import('../../lib/infra/db/migration-runner');
    const result = await migrateDatabase({ databaseUrl });
    for (const name of result.modified) {
      io.err(`warning: migration ${name} was changed after it was applied; the database keeps the applied version`);
    }
    if (options.json) {
      io.out(JSON.stringify({ database, applied: result.applied, modified: result.modified }));
      return;
    }
    if (result.applied.length === 0) {
      io.out(`No pending migrations: ${database} is up to date.`);
      return;
    }
    for (const name of result.applied) io.out(`Applied ${name}`);
    io.out(`Applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'} to ${database}.`);
  },
};
