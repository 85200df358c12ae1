import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export type DatabaseTarget =
  | { provider: 'sqlite'; file: string }
  | { provider: 'postgresql'; url: string };

/**
 * Parses DATABASE_URL. `file:` paths are resolved against `cwd` (process.cwd()), never against
 * the schema file as Prisma's classic engine did; query strings (`?connection_limit=…`) are ignored.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { provider: 'postgresql', url };
  if (url.startsWith('file:')) {
    const withoutQuery = url.split('?')[0] ?? url;
    const file = withoutQuery.startsWith('file://')
      ? fileURLToPath(withoutQuery)
      : path.resolve(cwd, withoutQuery.slice('file:'.length));
    return { provider: 'sqlite', file };
  }
  throw new Error(`DATABASE_URL must start with file: or postgres:// (got "${url.split(':')[0]}:")`);
}
