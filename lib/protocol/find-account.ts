import type { Account as OidcAccount, KoaContextWithOIDC } from 'oidc-provider';
import type { Account } from '../domain/accounts/account';
import type { AccountRepository } from '../domain/accounts/account-repository';

export type LoadedAccount = OidcAccount & { profile: Account };

/** The claims every client may see; scopes decide which of them reach a token. */
export function accountClaims(account: Account) {
  return {
    sub: account.id,
    email: account.email,
    email_verified: account.emailVerified,
    locale: account.locale,
    country_region_code: account.countryRegionCode,
    ...(account.name ? { name: account.name } : {}),
  };
}

/** Disabled or deleted accounts are not found, so their sessions and refresh tokens stop working. */
export function createFindAccount(accounts: AccountRepository) {
  return async function findAccount(_ctx: KoaContextWithOIDC, sub: string): Promise<LoadedAccount | undefined> {
    const account = await accounts.findById(sub);
    if (!account || account.status !== 'active') return undefined;
    return {
      accountId: account.id,
      profile: account,
      async claims() {
        return accountClaims(account);
      },
    };
  };
}
