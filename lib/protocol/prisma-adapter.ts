import type { Adapter, AdapterPayload } from 'oidc-provider';
import { getDb, type Db } from '../infra/db/client';
import type { OidcPayload } from '../infra/db/generated/sqlite/client';

/**
 * oidc-provider storage in one table (oidc_payloads), keyed by (model, id).
 * - `find*` never return expired rows; oidc-provider checks `exp` as well.
 * - A consumed row keeps its payload and comes back with `consumed` (epoch seconds) set, which is
 *   how the provider detects replayed codes and rotated refresh tokens.
 * - `revokeByGrantId` is per model: the provider calls it on each grant-bound model in turn.
 */
export class PrismaAdapter implements Adapter {
  constructor(
    private readonly model: string,
    // oidc-provider constructs adapters with the model name only; tests pass a client.
    private readonly db: Db = getDb(),
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const data = {
      payload: JSON.stringify(payload),
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      uid: payload.uid ?? null,
      expiresAt: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    // Rendered as INSERT … ON CONFLICT DO UPDATE, so concurrent saves of one session do not race.
    // consumedAt is left alone: re-saving never un-consumes.
    await this.db.oidcPayload.upsert({
      where: { model_id: { model: this.model, id } },
      create: { model: this.model, id, ...data },
      update: data,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await this.db.oidcPayload.findUnique({ where: { model_id: { model: this.model, id } } });
    return toPayload(row);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const row = await this.db.oidcPayload.findFirst({ where: { model: this.model, userCode } });
    return toPayload(row);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const row = await this.db.oidcPayload.findFirst({ where: { model: this.model, uid } });
    return toPayload(row);
  }

  async consume(id: string): Promise<void> {
    await this.db.oidcPayload.updateMany({
      where: { model: this.model, id, consumedAt: null },
      data: { consumedAt: new Date() },
    });
  }

  async destroy(id: string): Promise<void> {
    await this.db.oidcPayload.deleteMany({ where: { model: this.model, id } });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.oidcPayload.deleteMany({ where: { model: this.model, grantId } });
  }
}

function toPayload(row: OidcPayload | null): AdapterPayload | undefined {
  if (!row) return undefined;
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
  return payload;
}

/** Deletes rows whose expiry has passed; returns how many. */
export async function purgeExpiredOidcPayloads(now: Date = new Date(), db: Db = getDb()): Promise<number> {
  const { count } = await db.oidcPayload.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}

const cleanupHolder = globalThis as typeof globalThis & { __meridianOidcCleanup?: ReturnType<typeof setInterval> };

/**
 * Purges expired rows every `intervalMs`, once per process however often it is called (the timer
 * lives on globalThis). Unref'd: it never keeps a process alive. Returns a function that stops it.
 */
export function scheduleOidcCleanup(intervalMs: number = 10 * 60_000): () => void {
  if (!cleanupHolder.__meridianOidcCleanup) {
    const timer = setInterval(() => {
      purgeExpiredOidcPayloads().catch((e: unknown) => console.error('[oidc] purging expired payloads failed', e));
    }, intervalMs);
    timer.unref();
    cleanupHolder.__meridianOidcCleanup = timer;
  }
  return () => {
    clearInterval(cleanupHolder.__meridianOidcCleanup);
    cleanupHolder.__meridianOidcCleanup = undefined;
  };
}
