/**
 * Lockout with exponential back-off: failures counted per key (an email, an IP, a client id),
 * the key locked out when they reach a limit. Rules, in order:
 * 1. while a key is locked, failures are not counted and the remaining time is reported;
 * 2. failures count within a fixed window that starts at the first failure; an expired window
 *    starts over at zero;
 * 3. the maxFailures-th failure in a window locks the key for
 *    min(baseLockoutSeconds × 2^lockouts, maxLockoutSeconds), then counts one more lockout;
 * 4. lockouts are "consecutive": the count is forgotten when a new window starts more than
 *    maxLockoutSeconds after the last lock ended (keys such as IPs are never reset by a success);
 * 5. reset (a successful sign-in) forgets the key: failures and lockouts start over.
 * A store (lib/infra/db/failure-counter-store.ts) keeps one counter per key and applies these.
 */
export type LockoutPolicy = {
  maxFailures: number;
  windowSeconds: number;
  baseLockoutSeconds: number;
  maxLockoutSeconds: number;
};

/** One key's counter. */
export type LockoutCounter = {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
  lockouts: number;
};

export type LockState = { locked: false } | { locked: true; retryAfterSeconds: number };

export type FailureOutcome = { locked: boolean; retryAfterSeconds?: number };

/** Counts failed attempts per key and locks the key out with back-off (the rules above). */
export interface FailureLimiter {
  check(key: string): Promise<LockState>;
  /**
   * `within`: a transaction of a store on the same database (a SignUpTx) to count in, so the
   * count commits or rolls back with it; without, the count commits on its own.
   */
  recordFailure(key: string, within?: object): Promise<FailureOutcome>;
  reset(key: string): Promise<void>;
}

/** Whole seconds until `until`, at least 1 (a Retry-After value). */
export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** Whether a key locked until `lockedUntil` is locked at `now` (rule 1). */
export function lockStateAt(lockedUntil: Date | null, now: Date): LockState {
  return lockedUntil && lockedUntil > now ? { locked: true, retryAfterSeconds: retryAfterSeconds(lockedUntil, now) } : { locked: false };
}

/** One failure at `now`: the counter after it and whether the key is (now) locked (rules 1–4). */
export function nextFailureState(state: LockoutCounter, now: Date, policy: LockoutPolicy): { state: LockoutCounter; outcome: FailureOutcome } {
  if (state.lockedUntil && state.lockedUntil > now) {
    return { state, outcome: { locked: true, retryAfterSeconds: retryAfterSeconds(state.lockedUntil, now) } };
  }
  let { failures, windowStartedAt, lockouts } = state;
  if (now.getTime() - windowStartedAt.getTime() >= policy.windowSeconds * 1000) {
    failures = 0;
    windowStartedAt = now;
    const quietSince = state.lockedUntil ?? state.windowStartedAt;
    if (now.getTime() - quietSince.getTime() > policy.maxLockoutSeconds * 1000) lockouts = 0;
  }
  failures += 1;
  if (failures < policy.maxFailures) {
    return { state: { failures, windowStartedAt, lockedUntil: state.lockedUntil, lockouts }, outcome: { locked: false } };
  }
  const lockSeconds = Math.min(policy.baseLockoutSeconds * 2 ** lockouts, policy.maxLockoutSeconds);
  return {
    state: { failures: 0, windowStartedAt: now, lockedUntil: new Date(now.getTime() + lockSeconds * 1000), lockouts: lockouts + 1 },
    outcome: { locked: true, retryAfterSeconds: lockSeconds },
  };
}

/**
 * A rate limit rather than a lockout: `limit` events pass per window of `windowSeconds`. Each
 * event is counted first and refused when that locks the key, so the key locks on the
 * (limit + 1)-th; the lock lasts one window, without back-off.
 */
export function eventsPerWindowPolicy(limit: number, windowSeconds: number): LockoutPolicy {
  return { maxFailures: limit + 1, windowSeconds, baseLockoutSeconds: windowSeconds, maxLockoutSeconds: windowSeconds };
}
