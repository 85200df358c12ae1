import type { Adapter, AdapterPayload } from 'oidc-provider';
import { sqlOf, type Db } from './client';
import type { SqlDatabase } from './sql-database';
import { sqlDateOrNull } from './sql-values';

type PayloadRow = { payload: string; expires_at: unknown; consumed_at: unknown };

/**
 * oidc-provider storage in one table (oidc_payloads), keyed by (model, id).
 * - `find*` never return expired rows; oidc-provider checks `exp` as well.
 * - A consumed row keeps its payload and comes back with `consumed` (epoch seconds) set, which is
 *   how the provider detects replayed codes and rotated refresh tokens.
 * - `revokeByGrantId` is per model: the provider calls it on each grant-bound model in turn.
 * Plain SQL that SQLite and PostgreSQL both accept, on the driver (sqlOf, sharing Prisma's
 * connection): every sign-in, authorization and token runs several of these, and each costs far
 * less CPU than through Prisma (docs/performance-history.md). Dates are stored the way Prisma stores them.
 */
export class OidcSqlAdapter implements Adapter {
  private readonly sql: SqlDatabase;

  constructor(
    private readonly model: string,
    db: Db,
  ) {
    this.sql = sqlOf(db);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null;
    // One statement, so concurrent saves of one session do not race. consumed_at is left alone:
    // re-saving never un-consumes.
    await this.sql.execute(
      `INSERT INTO "oidc_payloads" ("model", "id", "payload", "grant_id", "user_code", "uid", "expires_at")
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT ("model", "id") DO UPDATE SET
        "payload" = excluded."payload", "grant_id" = excluded."grant_id", "user_code" = excluded."user_code",
        "uid" = excluded."uid", "expires_at" = excluded."expires_at"`,
      [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresAt],
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const rows = await this.sql.query<PayloadRow>('SELECT "payload", "expires_at", "consumed_at" FROM "oidc_payloads" WHERE "model" = ? AND "id" = ?', [this.model, id]);
    return toPayload(rows[0]);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const rows = await this.sql.query<PayloadRow>('SELECT "payload", "expires_at", "consumed_at" FROM "oidc_payloads" WHERE "model" = ? AND "user_code" = ? LIMIT 1', [
      this.model,
      userCode,
    ]);
    return toPayload(rows[0]);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const rows = await this.sql.query<PayloadRow>('SELECT "payload", "expires_at", "consumed_at" FROM "oidc_payloads" WHERE "model" = ? AND "uid" = ? LIMIT 1', [this.model, uid]);
    return toPayload(rows[0]);
  }

  async consume(id: string): Promise<void> {
    await this.sql.execute('UPDATE "oidc_payloads" SET "consumed_at" = ? WHERE "model" = ? AND "id" = ? AND "consumed_at" IS NULL', [new Date(), this.model, id]);
  }

  async destroy(id: string): Promise<void> {
    await this.sql.execute('DELETE FROM "oidc_payloads" WHERE "model" = ? AND "id" = ?', [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.sql.execute('DELETE FROM "oidc_payloads" WHERE "model" = ? AND "grant_id" = ?', [this.model, grantId]);
  }
}

function toPayload(row: PayloadRow | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  const expiresAt = sqlDateOrNull(row.expires_at);
  if (expiresAt && expiresAt.getTime() <= Date.now()) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  const consumedAt = sqlDateOrNull(row.consumed_at);
  if (consumedAt) payload.consumed = Math.floor(consumedAt.getTime() / 1000);
  return payload;
}

/** Deletes rows whose expiry has passed; returns how many. */
export async function purgeExpiredOidcPayloads(db: Db, now: Date = new Date()): Promise<number> {
  const { count } = await db.oidcPayload.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

/**
 * Purges expired rows every `intervalMs` (the composition root starts it once per process).
 * Unref'd: it never keeps a process alive. Returns a function that stops it.
 */
export function startOidcCleanup(db: Db, intervalMs: number = 10 * 60_000): () => void {
  const timer = setInterval(() => {
    purgeExpiredOidcPayloads(db).catch((e: unknown) => console.error('[oidc] purging expired payloads failed', e));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
