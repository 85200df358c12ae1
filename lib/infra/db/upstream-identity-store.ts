import { randomUUID } from 'node:crypto';
import { isAccountStatus, type Account } from '../../domain/accounts/account';
import type { UpstreamIdentityStore } from '../../domain/sign-in/upstream-sign-in';
import { getDb, type Db } from './client';

type AccountRow = Omit<Account, 'status'> & { status: string };

function toAccount(row: AccountRow): Account {
  if (!isAccountStatus(row.status)) throw new Error(`Account ${row.id} has unknown status "${row.status}"`);
  return { ...row, status: row.status };
}

const ACCOUNT_FIELDS = { id: true, email: true, emailVerified: true, countryRegionCode: true, locale: true, status: true, name: true, createdAt: true, updatedAt: true } as const;

/** A unique index refused the row (Prisma's P2002, whichever database's client threw it). */
const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'P2002';

/** UpstreamIdentityStore over Prisma Client (tables upstream_identities, accounts). */
export function createUpstreamIdentityStore(resolveDb: () => Db = getDb, clock: () => Date = () => new Date()): UpstreamIdentityStore {
  return {
    async findLinkedAccount(provider, subject) {
      const db = resolveDb();
      const link = await db.upstreamIdentity.findUnique({ where: { provider_subject: { provider, subject } }, select: { id: true, account: { select: ACCOUNT_FIELDS } } });
      if (!link) return null;
      await db.upstreamIdentity.update({ where: { id: link.id }, data: { lastUsedAt: clock() } });
      return toAccount(link.account);
    },

    async createLinkedAccount({ email, region, locale, provider, subject }) {
      const now = clock();
      try {
        // One nested create: the account and its link commit together.
        const account = await resolveDb().account.create({
          data: {
            id: randomUUID(),
            email,
            emailVerified: true,
            countryRegionCode: region.toUpperCase(),
            locale,
            status: 'pending',
            createdAt: now,
            updatedAt: now,
            upstreamIdentities: { create: { id: randomUUID(), provider, subject, email, createdAt: now, lastUsedAt: now } },
          },
          select: { id: true },
        });
        return account.id;
      } catch (e) {
        // The address got an account meanwhile: reported as null, not an error.
        if (isUniqueViolation(e)) return null;
        throw e;
      }
    },

    async link({ accountId, provider, subject, email }) {
      const now = clock();
      try {
        await resolveDb().upstreamIdentity.create({ data: { id: randomUUID(), accountId, provider, subject, email, createdAt: now, lastUsedAt: now } });
      } catch (e) {
        // Already linked (a repeated link): nothing to do.
        if (!isUniqueViolation(e)) throw e;
      }
    },
  };
}
