import type { Account } from '../accounts/account';
import { normalizeEmail } from '../accounts/account';
import type { AccountRepository } from '../accounts/account-repository';
import { ACR, type Amr } from '../assurance/assurance-levels';
import { AppError } from '../errors';
import { verifySignInCode, type EmailCodeSignInDeps } from './email-code-sign-in';
import { signInWithPassword, type PasswordSignInDeps } from './password-sign-in';

/** What an upstream (social) provider told us about the person, from its validated ID token. */
export type UpstreamClaims = {
  provider: string;
  subject: string;
  email: string | null;
  /** True when the provider says so (email_verified), or the provider is trusted to only share verified addresses. */
  emailVerified: boolean;
};

/** Port: the links between upstream identities and accounts (lib/infra/db/upstream-identity-store.ts). */
export interface UpstreamIdentityStore {
  /** The account linked to (provider, subject), marking the link used; null when there is none. */
  findLinkedAccount(provider: string, subject: string): Promise<Account | null>;
  /**
   * In one transaction: a pending account with a verified email in `region`, and its link.
   * Null when the email got an account meanwhile (the caller asks to link instead).
   */
  createLinkedAccount(input: { email: string; region: string; locale: string; provider: string; subject: string }): Promise<string | null>;
  /** Links (provider, subject) to the account; a no-op when it already is. */
  link(input: { accountId: string; provider: string; subject: string; email: string | null }): Promise<void>;
}

export type UpstreamSignInDeps = { identities: UpstreamIdentityStore; accounts: AccountRepository };

export type UpstreamSignInOutcome =
  /** A linked account: sign it in (readiness still applies). */
  | { kind: 'linked'; account: Account; acr: string; amr: Amr[] }
  /** A new pending account, created for this identity: continue into its region's remaining sign-up steps. */
  | { kind: 'created'; accountId: string; amr: Amr[] }
  /** The verified email belongs to an account: link only after the person proves it is theirs. */
  | { kind: 'link_required'; account: Account };

export const UPSTREAM_AMR: Amr[] = ['fed'];

/**
 * Signing in with an upstream identity. Rules, in order:
 * 1. an identity already linked signs in to its account (a disabled one is refused);
 * 2. without a verified email nothing is created or linked: the person signs up with their email;
 * 3. a verified email that belongs to an account needs that account's proof first (link_required):
 *    an upstream provider asserting an address is not enough to take over an existing account;
 * 4. otherwise a pending account is created in the region the person chose, with the email
 *    verified and the identity linked; the sign-up flow asks for the region's other steps
 *    (the email code and the password are what the provider already proved).
 */
export async function resolveUpstreamSignIn(
  deps: UpstreamSignInDeps,
  input: { claims: UpstreamClaims; region: string; locale: string },
): Promise<UpstreamSignInOutcome> {
  const { claims } = input;
  const linked = await deps.identities.findLinkedAccount(claims.provider, claims.subject);
  if (linked) {
    if (linked.status === 'disabled') throw new AppError('signin.account_disabled', { status: 403 });
    return { kind: 'linked', account: linked, acr: ACR.aal1, amr: UPSTREAM_AMR };
  }
  if (!claims.email || !claims.emailVerified) throw new AppError('signin.upstream_email_unverified', { status: 400 });
  const email = normalizeEmail(claims.email);
  const existing = await deps.accounts.findByEmail(email);
  if (existing) return { kind: 'link_required', account: existing };
  const created = await deps.identities.createLinkedAccount({ email, region: input.region, locale: input.locale, provider: claims.provider, subject: claims.subject });
  if (created) return { kind: 'created', accountId: created, amr: UPSTREAM_AMR };
  const raced = await deps.accounts.findByEmail(email);
  if (!raced) throw new Error('resolveUpstreamSignIn: the account of a taken email vanished');
  return { kind: 'link_required', account: raced };
}

/**
 * Links an upstream identity to an existing account once its password is proven, with the
 * password sign-in's rules (lockout, no hint whether the password or the lockout failed first).
 * The session gets both methods: the password and the provider.
 */
export async function linkAfterPassword(
  deps: UpstreamSignInDeps & { password: PasswordSignInDeps },
  input: { accountId: string; provider: string; subject: string; email: string | null; password: string; ip: string },
): Promise<{ account: Account; acr: string; amr: Amr[] }> {
  const account = await deps.accounts.findById(input.accountId);
  if (!account) throw new AppError('signin.expired', { status: 410 });
  const result = await signInWithPassword(deps.password, { email: account.email, password: input.password, ip: input.ip });
  if (result.account.id !== account.id) throw new AppError('signin.invalid_credentials', { status: 401 });
  await deps.identities.link({ accountId: account.id, provider: input.provider, subject: input.subject, email: input.email });
  return { account: result.account, acr: result.acr, amr: ['pwd', ...UPSTREAM_AMR] };
}

/**
 * For an existing account without a password (created through another provider or by code): its
 * owner proves the address with a one-time code mailed to it (requestSignInCode with `codeScope`),
 * then the identity is linked. The session gets both methods: the code and the provider.
 */
export async function linkAfterEmailCode(
  deps: UpstreamSignInDeps & { emailCode: EmailCodeSignInDeps },
  input: { accountId: string; provider: string; subject: string; email: string | null; codeScope: string; code: string; ip: string },
): Promise<{ account: Account; acr: string; amr: Amr[] }> {
  const result = await verifySignInCode(deps.emailCode, { interactionUid: input.codeScope, code: input.code, ip: input.ip });
  if (result.account.id !== input.accountId) throw new AppError('signin.code_invalid', { status: 400, details: { attempts: 0 } });
  await deps.identities.link({ accountId: input.accountId, provider: input.provider, subject: input.subject, email: input.email });
  return { account: result.account, acr: result.acr, amr: ['otp', ...UPSTREAM_AMR] };
}
