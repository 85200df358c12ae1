import type { Account } from '../accounts/account';
import { normalizeEmail } from '../accounts/account';
import type { AccountRepository } from '../accounts/account-repository';
import { ACR, type Amr } from '../assurance/assurance-levels';
import { AppError } from '../errors';
import type { EmailCodes } from '../flows/sign-up-deps-types';
import type { FailureLimiter } from './lockout';

/** Passwordless sign-in with a one-time code by email (region method `email_code`). */

export type SignInCodeRecord = {
  id: string;
  interactionUid: string;
  email: string;
  /** Null for a decoy: no (usable) account has the address, nothing was sent. */
  accountId: string | null;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
  createdAt: Date;
};

/** The code mail of a sign-in (lib/infra/mail renders it per locale). */
export type SignInCodeMail = { to: string; locale: string; code: string; minutes: number };

/** Port: lib/infra/db/sign-in-code-store.ts. */
export interface SignInCodeStore {
  /**
   * Stores the code and queues its mail in the same transaction: sent after the commit, never
   * while the person waits. Null for a decoy: nothing is sent.
   */
  insert(code: Omit<SignInCodeRecord, 'id' | 'attempts' | 'consumedAt'>, mail: SignInCodeMail | null): Promise<void>;
  /** The newest code of the interaction, used or not. */
  latest(interactionUid: string): Promise<SignInCodeRecord | null>;
  /** Counts one attempt on a live code (unconsumed, attempts < max); null when there is none. */
  countAttempt(id: string, maxAttempts: number): Promise<SignInCodeRecord | null>;
  /** Marks the code used; false if it already was. */
  consume(id: string, now: Date): Promise<boolean>;
}

export type EmailCodeSignInDeps = {
  codes: SignInCodeStore;
  accounts: AccountRepository;
  emailCodes: EmailCodes;
  /** Codes sent per address and per IP (each send counts), and wrong codes per IP. */
  limiters: { sendsPerEmail: FailureLimiter; sendsPerIp: FailureLimiter; failuresPerIp: FailureLimiter };
  limits: { ttlSeconds: number; maxAttempts: number; resendSeconds: number };
  clock?: () => Date;
};

const PURPOSE = 'signin';

function rateLimited(code: string, retryAfterSeconds: number): AppError {
  return new AppError(code, { status: 429, details: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)), seconds: retryAfterSeconds, retryAfterSeconds } });
}

/**
 * Sends a sign-in code. Rules, in order:
 * 1. a resend within `resendSeconds` of the last code of this sign-in waits;
 * 2. sends per address and per IP are limited (an attacker cannot mail-bomb an address);
 * 3. the answer never says whether the address has an account: unknown and disabled addresses get
 *    a decoy (a stored hash of a code nobody receives), and the same "code sent" page;
 * 4. a new code replaces the previous one of this sign-in (only the newest is checked);
 * 5. the mail is queued with the code and sent afterwards: known and unknown addresses are
 *    answered alike, without waiting on SMTP.
 */
export async function requestSignInCode(deps: EmailCodeSignInDeps, input: { interactionUid: string; email: string; locale: string; ip: string }): Promise<void> {
  const now = deps.clock?.() ?? new Date();
  const email = normalizeEmail(input.email);
  const last = await deps.codes.latest(input.interactionUid);
  if (last && !last.consumedAt) {
    const waitSeconds = Math.ceil((last.createdAt.getTime() + deps.limits.resendSeconds * 1000 - now.getTime()) / 1000);
    if (waitSeconds > 0) throw rateLimited('signin.code_resend_wait', waitSeconds);
  }
  const [byEmail, byIp] = await Promise.all([
    deps.limiters.sendsPerEmail.recordFailure(`signin:code:email:${email}`),
    deps.limiters.sendsPerIp.recordFailure(`signin:code:ip:${input.ip}`),
  ]);
  if (byEmail.locked || byIp.locked) throw rateLimited('signin.code_rate_limited', (byEmail.locked ? byEmail.retryAfterSeconds : byIp.retryAfterSeconds) ?? 60);

  const account = await deps.accounts.findByEmail(email);
  const usable = account && account.status !== 'disabled' ? account : null;
  const code = deps.emailCodes.generate();
  await deps.codes.insert(
    {
      interactionUid: input.interactionUid,
      email,
      accountId: usable?.id ?? null,
      codeHash: deps.emailCodes.hash({ flowId: input.interactionUid, purpose: PURPOSE, code }),
      expiresAt: new Date(now.getTime() + deps.limits.ttlSeconds * 1000),
      createdAt: now,
    },
    usable ? { to: usable.email, locale: input.locale, code, minutes: Math.round(deps.limits.ttlSeconds / 60) } : null,
  );
}

/**
 * Checks a sign-in code. Rules, in order:
 * 1. an IP with too many wrong codes is refused before any check;
 * 2. only the newest live code of this sign-in counts; none (or used, or expired) → code_expired;
 * 3. each try counts an attempt first; past the maximum the code is dead (code_attempts);
 * 4. a wrong code (or a decoy's) → code_invalid, counted against the IP;
 * 5. the code is used once; a disabled account is refused; success is one factor (aal1, amr otp).
 */
export async function verifySignInCode(
  deps: EmailCodeSignInDeps,
  input: { interactionUid: string; code: string; ip: string },
): Promise<{ account: Account; acr: string; amr: Amr[] }> {
  const now = deps.clock?.() ?? new Date();
  const ipKey = `signin:code-failures:ip:${input.ip}`;
  const ipState = await deps.limiters.failuresPerIp.check(ipKey);
  if (ipState.locked) throw rateLimited('signin.code_rate_limited', ipState.retryAfterSeconds);
  const latest = await deps.codes.latest(input.interactionUid);
  if (!latest || latest.consumedAt || latest.expiresAt <= now) throw new AppError('signin.code_expired', { status: 410 });
  if (latest.attempts >= deps.limits.maxAttempts) throw new AppError('signin.code_attempts', { status: 429 });
  const counted = await deps.codes.countAttempt(latest.id, deps.limits.maxAttempts);
  if (!counted) throw new AppError('signin.code_attempts', { status: 429 });
  const candidate = input.code.replace(/\s/g, '');
  const matches = /^\d{6}$/.test(candidate) && deps.emailCodes.matches(counted.codeHash, { flowId: input.interactionUid, purpose: PURPOSE, code: candidate });
  if (!matches || !counted.accountId) {
    await deps.limiters.failuresPerIp.recordFailure(ipKey);
    const left = deps.limits.maxAttempts - counted.attempts;
    if (left <= 0) throw new AppError('signin.code_attempts', { status: 429 });
    throw new AppError('signin.code_invalid', { status: 400, details: { attempts: left } });
  }
  if (!(await deps.codes.consume(counted.id, now))) throw new AppError('signin.code_expired', { status: 410 });
  const account = await deps.accounts.findById(counted.accountId);
  if (!account || account.status === 'disabled') throw new AppError('signin.account_disabled', { status: 403 });
  return { account, acr: ACR.aal1, amr: ['otp'] };
}
