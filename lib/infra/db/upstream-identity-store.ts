import { randomUUID } from 'node:crypto';
import { isAccountStatus, type Account } from '../../domain/accounts/account';
import type { UpstreamIdentityStore } from '../../domain/sign-in/upstream-sign-in';
import { getDb, type Db } from './client';

type Row = Record<string, unknown>;

const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';
const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

function toAccount(row: Row): Account {
  const status = String(row.status);
  if (!isAccountStatus(status)) throw new Error(`Account ${String(row.id)} has unknown status "${status}"`);
  return {
    id: String(row.id),
    email: String(row.email),
    emailVerified: bool(row.email_verified),
    countryRegionCode: String(row.country_region_code),
    locale: String(row.locale),
    status,
    name: row.name === null || row.name === undefined ? null : String(row.name),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** UpstreamIdentityStore in plain SQL that SQLite and PostgreSQL both accept. */
export function createUpstreamIdentityStore(resolveDb: () => Db = getDb, clock: () => Date = () => new Date()): UpstreamIdentityStore {
  return {
    async findLinkedAccount(provider, subject) {
      const db = resolveDb();
      const rows = await db.$queryRaw<Row[]>`SELECT a.*, u."id" AS "link_id" FROM "upstream_identities" u JOIN "accounts" a ON a."id" = u."account_id"
        WHERE u."provider" = ${provider} AND u."subject" = ${subject}`;
      const row = rows[0];
      if (!row) return null;
      await db.$executeRaw`UPDATE "upstream_identities" SET "last_used_at" = ${clock()} WHERE "id" = ${String(row.link_id)}`;
      return toAccount(row);
    },

    createLinkedAccount({ email, region, locale, provider, subject }) {
      return resolveDb().$transaction(async (tx) => {
        const now = clock();
        const id = randomUUID();
        // ON CONFLICT DO NOTHING: an address that got an account meanwhile is reported, not an abort.
        const inserted = await tx.$executeRaw`INSERT INTO "accounts" ("id", "email", "email_verified", "password_hash", "country_region_code", "locale", "status", "created_at", "updated_at")
          VALUES (${id}, ${email}, ${true}, ${null}, ${region.toUpperCase()}, ${locale}, ${'pending'}, ${now}, ${now})
          ON CONFLICT ("email") DO NOTHING`;
        if (inserted !== 1) return null;
        await tx.$executeRaw`INSERT INTO "upstream_identities" ("id", "account_id", "provider", "subject", "email", "created_at", "last_used_at")
          VALUES (${randomUUID()}, ${id}, ${provider}, ${subject}, ${email}, ${now}, ${now})`;
        return id;
      });
    },

    async link({ accountId, provider, subject, email }) {
      const now = clock();
      await resolveDb().$executeRaw`INSERT INTO "upstream_identities" ("id", "account_id", "provider", "subject", "email", "created_at", "last_used_at")
        VALUES (${randomUUID()}, ${accountId}, ${provider}, ${subject}, ${email}, ${now}, ${now})
        ON CONFLICT ("provider", "subject") DO NOTHING`;
    },
  };
}

export const upstreamIdentityStore: UpstreamIdentityStore = createUpstreamIdentityStore();
