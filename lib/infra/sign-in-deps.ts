import { getIdpConfig } from '../config/idp-config';
import type { PasswordSignInDeps } from '../domain/sign-in/password-sign-in';
import { getPasswordHasher } from './crypto/argon2-password-hasher';
import { getDb } from './db/client';
import { prismaAccountRepository } from './db/prisma-account-repository';
import { createFailureLimiter } from './rate-limit/failure-limiter';

const holder = globalThis as unknown as { __meridianSignInDeps?: PasswordSignInDeps };

/** Wires the password sign-in use case to the database, argon2id and the lockout policy. */
export function getPasswordSignInDeps(): PasswordSignInDeps {
  if (!holder.__meridianSignInDeps) {
    const lockout = getIdpConfig().policies.sign_in_lockout;
    const db = getDb();
    const policy = {
      maxFailures: lockout.max_failures,
      windowSeconds: lockout.window_seconds,
      baseLockoutSeconds: lockout.base_lockout_seconds,
      maxLockoutSeconds: lockout.max_lockout_seconds,
    };
    holder.__meridianSignInDeps = {
      accounts: prismaAccountRepository,
      hasher: getPasswordHasher(),
      emailLimiter: createFailureLimiter(db, policy),
      ipLimiter: createFailureLimiter(db, { ...policy, maxFailures: lockout.ip_max_failures }),
    };
  }
  return holder.__meridianSignInDeps;
}
