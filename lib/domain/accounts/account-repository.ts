import type { Account, AccountStatus } from './account';

export type NewAccount = {
  email: string;
  passwordHash: string | null;
  countryRegionCode: string;
  locale: string;
  emailVerified: boolean;
};

/** Port for account storage. Emails are normalized by the implementation (normalizeEmail). */
export interface AccountRepository {
  findById(id: string): Promise<Account | null>;
  findByEmail(email: string): Promise<Account | null>;
  /** For password sign-in only: the hash never travels with the Account. */
  findPasswordHashByEmail(email: string): Promise<{ account: Account; passwordHash: string | null } | null>;
  /** Throws AppError('account.email_taken', 409) when the email is already registered. */
  create(input: NewAccount): Promise<Account>;
  /** Throws AppError('account.not_found', 404) for an unknown id. */
  setStatus(id: string, status: AccountStatus): Promise<Account>;
}
