/**
 * Runs `fn`, then closes the process-wide Prisma client (SQLite handle / PostgreSQL pool) whatever
 * happened, so the CLI process exits as soon as the command is done.
 */
export async function withDatabase<T>(fn: () => Promise<T>): Promise<T> {
  const { disconnectDb } = await import('../../lib/infra/db/client');
  try {
    return await fn();
  } finally {
    await disconnectDb().catch(() => undefined);
  }
}
