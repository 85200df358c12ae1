import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors';
import { signInWithPassword, type PasswordSignInDeps } from '../domain/sign-in/password-sign-in';
import { createPasswordHasher } from './crypto/argon2-password-hasher';
import { createPrismaAccountRepository } from './db/prisma-account-repository';
import { openMigratedTestDatabase, type MigratedTestDatabase } from './db/test-databases';
import { createFailureLimiter } from './db/failure-counter-store';
import { appErrorCodeOf } from './app-error-code';

// The sign-in use case wired to a real SQLite file, real argon2id and the real lockout store.
let database: MigratedTestDatabase;
let deps: PasswordSignInDeps;
const policy = { maxFailures: 3, windowSeconds: 60, baseLockoutSeconds: 60, maxLockoutSeconds: 600 };


beforeAll(async () => {
  database = await openMigratedTestDatabase('sqlite');
  const hasher = createPasswordHasher({ maxConcurrent: 2 });
  const accounts = createPrismaAccountRepository(() => database.db);
  deps = {
    accounts,
    hasher,
    emailLimiter: createFailureLimiter(database.db, policy),
    ipLimiter: createFailureLimiter(database.db, { ...policy, maxFailures: 10 }),
  };
  const passwordHash = await hasher.hash('correct horse battery');
  await accounts.create({ email: 'aiko@example.jp', passwordHash, countryRegionCode: 'JP', locale: 'ja', emailVerified: true });
  const disabled = await accounts.create({ email: 'gone@example.jp', passwordHash, countryRegionCode: 'JP', locale: 'ja', emailVerified: true });
  await accounts.setStatus(disabled.id, 'disabled');
});

afterAll(async () => {
  await database.close();
});

describe('signInWithPassword', () => {
  it('signs in with the right password, case-insensitively on the email, at aal1 with amr pwd', async () => {
    const result = await signInWithPassword(deps, { email: ' Aiko@Example.JP ', password: 'correct horse battery', ip: '203.0.113.1' });
    expect(result.account.email).toBe('aiko@example.jp');
    expect(result).toMatchObject({ acr: 'urn:meridian:aal1', amr: ['pwd'] });
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    expect(await appErrorCodeOf(signInWithPassword(deps, { email: 'aiko@example.jp', password: 'wrong', ip: '203.0.113.2' }))).toBe('signin.invalid_credentials');
    expect(await appErrorCodeOf(signInWithPassword(deps, { email: 'nobody@example.jp', password: 'wrong', ip: '203.0.113.2' }))).toBe('signin.invalid_credentials');
  });

  it('locks an email out after repeated failures, even with the right password, and says for how long', async () => {
    const attempt = (password: string) => signInWithPassword(deps, { email: 'aiko@example.jp', password, ip: '203.0.113.3' });
    expect(await appErrorCodeOf(attempt('wrong-1'))).toBe('signin.invalid_credentials');
    const locked = await attempt('wrong-2').catch((e: AppError) => e);
    expect(locked).toBeInstanceOf(AppError);
    expect((locked as AppError).code).toBe('signin.locked');
    expect((locked as AppError).details).toMatchObject({ minutes: 1 });
    expect(await appErrorCodeOf(attempt('correct horse battery'))).toBe('signin.locked');
  });

  it('reports a disabled account only after the right password', async () => {
    expect(await appErrorCodeOf(signInWithPassword(deps, { email: 'gone@example.jp', password: 'wrong', ip: '203.0.113.4' }))).toBe('signin.invalid_credentials');
    expect(await appErrorCodeOf(signInWithPassword(deps, { email: 'gone@example.jp', password: 'correct horse battery', ip: '203.0.113.4' }))).toBe('signin.account_disabled');
  });
});
