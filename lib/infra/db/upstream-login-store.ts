import { createHash } from 'node:crypto';
import { getDb, type Db } from './client';

/**
 * Social sign-ins in progress (table upstream_logins), keyed by SHA-256 of the `state` we sent
 * upstream: the browser holds the state (a cookie), the database its hash and what the callback
 * needs (nonce, PKCE verifier, interaction, region). Plain SQL for SQLite and PostgreSQL.
 */

export type UpstreamLogin = {
  provider: string;
  interactionUid: string;
  region: string;
  locale: string;
  nonce: string;
  codeVerifier: string;
  linkAccountId: string | null;
  subject: string | null;
  email: string | null;
  consumedAt: Date | null;
  expiresAt: Date;
};

type Row = Record<string, unknown>;

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

export const stateKey = (state: string) => createHash('sha256').update(state).digest('hex');

function toLogin(row: Row): UpstreamLogin {
  return {
    provider: String(row.provider),
    interactionUid: String(row.interaction_uid),
    region: String(row.region),
    locale: String(row.locale),
    nonce: String(row.nonce),
    codeVerifier: String(row.code_verifier),
    linkAccountId: str(row.link_account_id),
    subject: str(row.subject),
    email: str(row.email),
    consumedAt: row.consumed_at === null || row.consumed_at === undefined ? null : date(row.consumed_at),
    expiresAt: date(row.expires_at),
  };
}

export function createUpstreamLoginStore(resolveDb: () => Db = getDb) {
  return {
    async insert(state: string, login: Omit<UpstreamLogin, 'linkAccountId' | 'subject' | 'email' | 'consumedAt'>, now: Date): Promise<void> {
      const db = resolveDb();
      await db.$executeRaw`INSERT INTO "upstream_logins" ("id", "provider", "interaction_uid", "region", "locale", "nonce", "code_verifier", "link_account_id", "subject", "email", "consumed_at", "expires_at", "created_at")
        VALUES (${stateKey(state)}, ${login.provider}, ${login.interactionUid}, ${login.region}, ${login.locale}, ${login.nonce}, ${login.codeVerifier}, ${null}, ${null}, ${null}, ${null}, ${login.expiresAt}, ${now})`;
      // Old rows go now and then; a row is useless once expired.
      if (Math.random() < 0.02) await db.$executeRaw`DELETE FROM "upstream_logins" WHERE "expires_at" < ${now}`;
    },

    async find(state: string): Promise<UpstreamLogin | null> {
      const rows = await resolveDb().$queryRaw<Row[]>`SELECT * FROM "upstream_logins" WHERE "id" = ${stateKey(state)}`;
      return rows[0] ? toLogin(rows[0]) : null;
    },

    /** Marks the state used; false when it already was (a replayed callback). */
    async consume(state: string, now: Date): Promise<boolean> {
      const count = await resolveDb().$executeRaw`UPDATE "upstream_logins" SET "consumed_at" = ${now} WHERE "id" = ${stateKey(state)} AND "consumed_at" IS NULL`;
      return count === 1;
    },

    /** After the callback: the identity waits for the existing account's proof. */
    async awaitLink(state: string, link: { accountId: string; subject: string; email: string | null }): Promise<void> {
      await resolveDb().$executeRaw`UPDATE "upstream_logins" SET "link_account_id" = ${link.accountId}, "subject" = ${link.subject}, "email" = ${link.email} WHERE "id" = ${stateKey(state)}`;
    },

    async remove(state: string): Promise<void> {
      await resolveDb().$executeRaw`DELETE FROM "upstream_logins" WHERE "id" = ${stateKey(state)}`;
    },
  };
}

export type UpstreamLoginStore = ReturnType<typeof createUpstreamLoginStore>;

export const upstreamLoginStore: UpstreamLoginStore = createUpstreamLoginStore();

/** The sign-in code scope of a pending link (its codes are not any interaction's). */
export const linkCodeScope = (state: string) => `link:${stateKey(state)}`;
