import { getIdpConfig } from '../config/idp-config';
import type { EmailCodeSignInDeps } from '../domain/sign-in/email-code-sign-in';
import { getEmailCodes } from './crypto/email-codes';
import { getDb } from './db/client';
import { prismaAccountRepository } from './db/prisma-account-repository';
import { createSignInCodeStore } from './db/sign-in-code-store';
import { renderSignInCodeMail } from './mail/templates';
import { getMailOutbox } from './mail-deps';
import { createFailureLimiter } from './rate-limit/failure-limiter';

const holder = globalThis as unknown as { __meridianEmailCodeDeps?: EmailCodeSignInDeps };

/**
 * Wires email-code sign-in: the sign-up's code lifetime, attempts, resend wait and send limits
 * (policies.signup in idp.config.yaml) apply to sign-in codes too.
 */
export function getEmailCodeSignInDeps(): EmailCodeSignInDeps {
  if (!holder.__meridianEmailCodeDeps) {
    const limits = getIdpConfig().policies.signup;
    const db = getDb();
    // Each event counts first and is refused when that locks the key: `limit` events per window pass.
    const perWindow = (limit: number, windowSeconds: number) =>
      createFailureLimiter(db, { maxFailures: limit + 1, windowSeconds, baseLockoutSeconds: windowSeconds, maxLockoutSeconds: windowSeconds });
    holder.__meridianEmailCodeDeps = {
      codes: createSignInCodeStore(getDb, (tx, mail) => getMailOutbox().queue(tx, renderSignInCodeMail(mail))),
      accounts: prismaAccountRepository,
      emailCodes: getEmailCodes(),
      limiters: {
        sendsPerEmail: perWindow(limits.code_sends_per_email_per_hour, 3600),
        sendsPerIp: perWindow(limits.code_sends_per_ip_per_hour, 3600),
        failuresPerIp: perWindow(limits.code_failures_per_ip, 900),
      },
      limits: { ttlSeconds: limits.code_ttl_seconds, maxAttempts: limits.code_max_attempts, resendSeconds: limits.code_resend_seconds },
    };
  }
  return holder.__meridianEmailCodeDeps;
}
