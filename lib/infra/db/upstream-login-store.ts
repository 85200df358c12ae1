import { createHash } from 'node:crypto';
import { getDb, type Db } from './client';

/**
 * Social sign-ins in progress (table upstream_logins), keyed by SHA-256 of the `state` we sent
 * upstream: the browser holds the state (a cookie), the database its hash and what the callback
 * needs (nonce, PKCE verifier, interaction, region). Prisma Client.
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

export const stateKey = (state: string) => createHash('sha256').update(state).digest('hex');

const LOGIN_FIELDS = {
  provider: true,
  interactionUid: true,
  region: true,
  locale: true,
  nonce: true,
  codeVerifier: true,
  linkAccountId: true,
  subject: true,
  email: true,
  consumedAt: true,
  expiresAt: true,
} as const;

export function createUpstreamLoginStore(resolveDb: () => Db = getDb) {
  return {
    async insert(state: string, login: Omit<UpstreamLogin, 'linkAccountId' | 'subject' | 'email' | 'consumedAt'>, now: Date): Promise<void> {
      const db = resolveDb();
      await db.upstreamLogin.create({ data: { id: stateKey(state), ...login, createdAt: now } });
      // Old rows go now and then; a row is useless once expired.
      if (Math.random() < 0.02) await db.upstreamLogin.deleteMany({ where: { expiresAt: { lt: now } } });
    },

    find(state: string): Promise<UpstreamLogin | null> {
      return resolveDb().upstreamLogin.findUnique({ where: { id: stateKey(state) }, select: LOGIN_FIELDS });
    },

    /** Marks the state used; false when it already was (a replayed callback). */
    async consume(state: string, now: Date): Promise<boolean> {
      const { count } = await resolveDb().upstreamLogin.updateMany({ where: { id: stateKey(state), consumedAt: null }, data: { consumedAt: now } });
      return count === 1;
    },

    /** After the callback: the identity waits for the existing account's proof. */
    async awaitLink(state: string, link: { accountId: string; subject: string; email: string | null }): Promise<void> {
      await resolveDb().upstreamLogin.updateMany({ where: { id: stateKey(state) }, data: { linkAccountId: link.accountId, subject: link.subject, email: link.email } });
    },

    async remove(state: string): Promise<void> {
      await resolveDb().upstreamLogin.deleteMany({ where: { id: stateKey(state) } });
    },
  };
}

export type UpstreamLoginStore = ReturnType<typeof createUpstreamLoginStore>;


/** The sign-in code scope of a pending link (its codes are not any interaction's). */
export const linkCodeScope = (state: string) => `link:${stateKey(state)}`;
