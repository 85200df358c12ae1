// Test support: runs one data-layer operation in its own process, as a second server would,
// and prints the result as JSON. Used by tests that check cross-process races on SQLite (two
// connections in one process cannot show them: better-sqlite3 waits for a lock synchronously).
// Usage: node --import tsx lib/infra/db/test-worker.ts <migrate|load-keys|record-failures> <url> [key] [count]
import { createFailureLimiter } from './failure-counter-store';
import { loadSigningKeys } from '../keys/signing-key-store';
import { createDb } from './client';
import { migrateDatabase } from './migration-runner';

async function main(): Promise<unknown> {
  const [action, url, key = 'k', count = '1'] = process.argv.slice(2);
  if (!url) throw new Error('usage: test-worker <action> <url>');
  if (action === 'migrate') return migrateDatabase({ databaseUrl: url });
  const db = createDb(url);
  try {
    if (action === 'load-keys') return (await loadSigningKeys(db)).publicJwks.keys.map((k) => k.kid);
    if (action === 'record-failures') {
      const limiter = createFailureLimiter(db, { maxFailures: 1_000_000, windowSeconds: 3600, baseLockoutSeconds: 1, maxLockoutSeconds: 1 });
      for (let i = 0; i < Number(count); i += 1) await limiter.recordFailure(key);
      return { done: Number(count) };
    }
    throw new Error(`unknown action ${action}`);
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
