import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingSteps } from '../domain/flows/readiness';
import { linkAfterPassword, resolveUpstreamSignIn, type UpstreamClaims, type UpstreamSignInDeps } from '../domain/sign-in/upstream-sign-in';
import { createPasswordHasher } from './crypto/argon2-password-hasher';
import { createPrismaAccountRepository } from './db/prisma-account-repository';
import { createSqlSignUpStore } from './db/sql-sign-up-store';
import { openMigratedTestDatabase, TEST_BACKENDS, type MigratedTestDatabase } from './db/test-databases';
import { createUpstreamIdentityStore } from './db/upstream-identity-store';
import { createFailureLimiter } from './db/failure-counter-store';
import { appErrorCodeOf } from './app-error-code';

const JP = {
  code: 'JP',
  defaultLocale: 'ja',
  locales: ['ja', 'en'],
  steps: ['email', 'email_code', 'password', 'birth_date', 'terms'] as const,
  minimumAge: { years: 13, below: 'refuse' as const },
  documents: [{ id: 'terms', version: '2026-01' }],
  marketing: 'none' as const,
  kycRequired: false,
  phoneCountryCodes: ['81'],
};


describe.each(TEST_BACKENDS)('social sign-in with real stores ($provider)', ({ provider, enabled }) => {
  let t: MigratedTestDatabase;
  let deps: UpstreamSignInDeps;
  const hasher = createPasswordHasher({ maxConcurrent: 2 });
  const line = (subject: string, email: string | null, emailVerified = true): UpstreamClaims => ({ provider: 'line', subject, email, emailVerified });

  beforeAll(async () => {
    if (!enabled) return;
    t = await openMigratedTestDatabase(provider);
    const accounts = createPrismaAccountRepository(() => t.db);
    deps = { identities: createUpstreamIdentityStore(() => t.db), accounts };
    await accounts.create({ email: 'haruto@example.jp', passwordHash: await hasher.hash('correct horse battery'), countryRegionCode: 'JP', locale: 'ja', emailVerified: true });
  });

  afterAll(async () => {
    if (enabled) await t.close();
  });

  it.skipIf(!enabled)('creates a pending account on first use that needs only the steps the provider did not prove, then signs in to it', async () => {
    const first = await resolveUpstreamSignIn(deps, { claims: line('U-new', 'Sakura@Example.JP'), region: 'JP', locale: 'ja' });
    expect(first.kind).toBe('created');
    const accountId = first.kind === 'created' ? first.accountId : '';
    const snapshot = await createSqlSignUpStore(() => t.db).findAccount(accountId);
    expect(snapshot).toMatchObject({ email: 'sakura@example.jp', emailVerified: true, status: 'pending', region: 'JP', hasPassword: false, hasUpstreamIdentity: true });
    // The email code and the password are what the provider proved.
    expect(missingSteps(snapshot!, { ...JP, steps: [...JP.steps] })).toEqual(['birth_date', 'terms']);

    const second = await resolveUpstreamSignIn(deps, { claims: line('U-new', 'sakura@example.jp'), region: 'TW', locale: 'en' });
    expect(second).toMatchObject({ kind: 'linked', account: { id: accountId, countryRegionCode: 'JP' }, acr: 'urn:meridian:aal1', amr: ['fed'] });
  });

  it.skipIf(!enabled)('never links an existing account on the provider’s word: it asks for the account’s password, then links', async () => {
    const outcome = await resolveUpstreamSignIn(deps, { claims: line('U-haruto', 'haruto@example.jp'), region: 'JP', locale: 'ja' });
    expect(outcome.kind).toBe('link_required');
    const account = outcome.kind === 'link_required' ? outcome.account : null;
    // Still not linked: the same identity again asks again.
    expect((await resolveUpstreamSignIn(deps, { claims: line('U-haruto', 'haruto@example.jp'), region: 'JP', locale: 'ja' })).kind).toBe('link_required');

    const password = {
      accounts: deps.accounts,
      hasher,
      emailLimiter: createFailureLimiter(t.db, { maxFailures: 5, windowSeconds: 60, baseLockoutSeconds: 60, maxLockoutSeconds: 60 }),
      ipLimiter: createFailureLimiter(t.db, { maxFailures: 50, windowSeconds: 60, baseLockoutSeconds: 60, maxLockoutSeconds: 60 }),
    };
    const input = { accountId: account!.id, provider: 'line', subject: 'U-haruto', email: 'haruto@example.jp', ip: '198.51.100.7' };
    expect(await appErrorCodeOf(linkAfterPassword({ ...deps, password }, { ...input, password: 'not the password' }))).toBe('signin.invalid_credentials');
    expect((await resolveUpstreamSignIn(deps, { claims: line('U-haruto', 'haruto@example.jp'), region: 'JP', locale: 'ja' })).kind).toBe('link_required');

    const linked = await linkAfterPassword({ ...deps, password }, { ...input, password: 'correct horse battery' });
    expect(linked).toMatchObject({ account: { id: account!.id }, amr: ['pwd', 'fed'] });
    expect(await resolveUpstreamSignIn(deps, { claims: line('U-haruto', 'haruto@example.jp'), region: 'JP', locale: 'ja' })).toMatchObject({ kind: 'linked', account: { id: account!.id } });
  });

  it.skipIf(!enabled)('refuses an identity without a verified email, creating nothing', async () => {
    const before = await t.db.account.count();
    expect(await appErrorCodeOf(resolveUpstreamSignIn(deps, { claims: line('U-unverified', 'someone@example.jp', false), region: 'JP', locale: 'ja' }))).toBe('signin.upstream_email_unverified');
    expect(await appErrorCodeOf(resolveUpstreamSignIn(deps, { claims: line('U-noemail', null), region: 'JP', locale: 'ja' }))).toBe('signin.upstream_email_unverified');
    expect(await t.db.account.count()).toBe(before);
  });

  it.skipIf(!enabled)('refuses a disabled account even through a linked identity', async () => {
    const created = await resolveUpstreamSignIn(deps, { claims: line('U-gone', 'gone@example.jp'), region: 'JP', locale: 'ja' });
    const id = created.kind === 'created' ? created.accountId : '';
    await t.db.account.update({ where: { id }, data: { status: 'disabled' } });
    expect(await appErrorCodeOf(resolveUpstreamSignIn(deps, { claims: line('U-gone', 'gone@example.jp'), region: 'JP', locale: 'ja' }))).toBe('signin.account_disabled');
  });

  it.skipIf(!enabled)('keeps one account per address when two identities race to create it', async () => {
    const [a, b] = await Promise.all([
      resolveUpstreamSignIn(deps, { claims: { provider: 'google', subject: 'G-1', email: 'race@example.com', emailVerified: true }, region: 'JP', locale: 'en' }),
      resolveUpstreamSignIn(deps, { claims: line('U-race', 'race@example.com'), region: 'JP', locale: 'en' }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['created', 'link_required']);
    expect(await t.db.account.count({ where: { email: 'race@example.com' } })).toBe(1);
  });
});
