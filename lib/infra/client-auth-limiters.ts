import { getIdpConfig } from '../config/idp-config';
import { getDb } from './db/client';
import { createFailureLimiter } from './rate-limit/failure-limiter';

/** Failure limiters for client authentication: sign-in's lockout policy, per client id and per IP. */
export function createClientAuthLimiters() {
  const lockout = getIdpConfig().policies.sign_in_lockout;
  const policy = {
    maxFailures: lockout.max_failures,
    windowSeconds: lockout.window_seconds,
    baseLockoutSeconds: lockout.base_lockout_seconds,
    maxLockoutSeconds: lockout.max_lockout_seconds,
  };
  const db = getDb();
  return { perClient: createFailureLimiter(db, policy), perIp: createFailureLimiter(db, { ...policy, maxFailures: lockout.ip_max_failures }) };
}
