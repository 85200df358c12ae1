import type { Account } from '../accounts/account';
import { normalizeEmail } from '../accounts/account';
import type { AccountRepository } from '../accounts/account-repository';
import { ACR, type Amr } from '../assurance/assurance-levels';
import type { PasswordHasher } from '../credentials/password-hasher';
import { AppError } from '../errors';
import type { FailureLimiter } from './lockout';

export type PasswordSignInDeps = {
  accounts: AccountRepository;
  hasher: PasswordHasher;
  /** Failures per email (known or not, so lockout never reveals which emails exist). */
  emailLimiter: FailureLimiter;
  /** Failures per client IP, a wider net against credential stuffing. */
  ipLimiter: FailureLimiter;
};

export type PasswordSignInResult = { account: Account; acr: string; amr: Amr[] };

function lockedError(retryAfterSeconds: number): AppError {
  return new AppError('signin.locked', {
    status: 429,
    details: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)), retryAfterSeconds },
  });
}

/**
 * Verifies an email + password. Rules, in order:
 * 1. a locked-out email or IP is refused before any hashing;
 * 2. unknown emails cost one dummy verification, so timing does not reveal them;
 * 3. a wrong password counts against both the email and the IP;
 * 4. a disabled account is reported only after the right password was given (a pending one passes:
 *    the caller checks readiness and sends it into its missing sign-up steps);
 * 5. success clears the email's failures.
 */
export async function signInWithPassword(
  deps: PasswordSignInDeps,
  input: { email: string; password: string; ip: string },
): Promise<PasswordSignInResult> {
  const email = normalizeEmail(input.email);
  const emailKey = `signin:email:${email}`;
  const ipKey = `signin:ip:${input.ip}`;
  const [emailState, ipState] = await Promise.all([deps.emailLimiter.check(emailKey), deps.ipLimiter.check(ipKey)]);
  if (emailState.locked) throw lockedError(emailState.retryAfterSeconds);
  if (ipState.locked) throw lockedError(ipState.retryAfterSeconds);

  const found = await deps.accounts.findPasswordHashByEmail(email);
  const valid = found?.passwordHash
    ? await deps.hasher.verify(found.passwordHash, input.password)
    : await deps.hasher.verifyAgainstDummy(input.password);

  if (!valid || !found) {
    const [emailResult, ipResult] = await Promise.all([deps.emailLimiter.recordFailure(emailKey), deps.ipLimiter.recordFailure(ipKey)]);
    if (emailResult.locked) throw lockedError(emailResult.retryAfterSeconds ?? 60);
    if (ipResult.locked) throw lockedError(ipResult.retryAfterSeconds ?? 60);
    throw new AppError('signin.invalid_credentials', { status: 401 });
  }
  // A pending account (sign-up not finished) signs in, and the caller sends it into its missing steps.
  if (found.account.status === 'disabled') throw new AppError('signin.account_disabled', { status: 403 });
  await deps.emailLimiter.reset(emailKey);
  return { account: found.account, acr: ACR.aal1, amr: ['pwd'] };
}
