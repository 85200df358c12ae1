import { isAccountStatus, normalizeEmail, type Account, type AccountStatus } from '../../domain/accounts/account';
import type { AccountRepository, NewAccount } from '../../domain/accounts/account-repository';
import { AppError } from '../../domain/errors';
import { getDb, sqlOf, type Db } from './client';
import { sqlBool, sqlDate } from './sql-values';
import type { Account as AccountRow } from './generated/sqlite/client';

function toAccount(row: Pick<AccountRow, 'id' | 'email' | 'emailVerified' | 'countryRegionCode' | 'locale' | 'status' | 'name' | 'createdAt' | 'updatedAt'>): Account {
  if (!isAccountStatus(row.status)) throw new Error(`Account ${row.id} has unknown status "${row.status}"`);
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.emailVerified,
    countryRegionCode: row.countryRegionCode,
    locale: row.locale,
    status: row.status,
    name: row.name,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function findAccountRow(db: Db, column: 'id' | 'email', value: string): Promise<{ account: Account; passwordHash: string | null } | null> {
  const rows = await sqlOf(db).query(
    `SELECT "id", "email", "email_verified", "password_hash", "country_region_code", "locale", "status", "name", "created_at", "updated_at"
    FROM "accounts" WHERE "${column}" = ?`,
    [value],
  );
  const row = rows[0];
  if (!row) return null;
  const account = toAccount({
    id: String(row.id),
    email: String(row.email),
    emailVerified: sqlBool(row.email_verified),
    countryRegionCode: String(row.country_region_code),
    locale: String(row.locale),
    status: String(row.status),
    name: row.name === null || row.name === undefined ? null : String(row.name),
    createdAt: sqlDate(row.created_at),
    updatedAt: sqlDate(row.updated_at),
  });
  return { account, passwordHash: row.password_hash === null || row.password_hash === undefined ? null : String(row.password_hash) };
}

function prismaErrorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** AccountRepository over Prisma; `db` is resolved per call, so importing opens no connection. */
export function createPrismaAccountRepository(resolveDb: () => Db = getDb): AccountRepository {
  return {
    // Plain SQL on the driver (sqlOf): these run on every sign-in, token, userinfo and token
    // exchange (findAccount); a Prisma model query costs 3–4 × the CPU of $queryRaw, itself far above this.
    async findById(id) {
      return (await findAccountRow(resolveDb(), 'id', id))?.account ?? null;
    },

    async findByEmail(email) {
      return (await findAccountRow(resolveDb(), 'email', normalizeEmail(email)))?.account ?? null;
    },

    async findPasswordHashByEmail(email) {
      return findAccountRow(resolveDb(), 'email', normalizeEmail(email));
    },

    async create(input: NewAccount) {
      try {
        const row = await resolveDb().account.create({
          data: {
            email: normalizeEmail(input.email),
            passwordHash: input.passwordHash,
            countryRegionCode: input.countryRegionCode.toUpperCase(),
            locale: input.locale,
            emailVerified: input.emailVerified,
            status: 'active',
          },
        });
        return toAccount(row);
      } catch (e) {
        // P2002: unique constraint (the email index; the id is a fresh UUID).
        if (prismaErrorCode(e) === 'P2002') throw new AppError('account.email_taken', { status: 409, cause: e });
        throw e;
      }
    },

    async setStatus(id: string, status: AccountStatus) {
      try {
        const row = await resolveDb().account.update({ where: { id }, data: { status } });
        return toAccount(row);
      } catch (e) {
        // P2025: no row matched.
        if (prismaErrorCode(e) === 'P2025') throw new AppError('account.not_found', { status: 404, cause: e });
        throw e;
      }
    },
  };
}
