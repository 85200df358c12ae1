export type LockState = { locked: false } | { locked: true; retryAfterSeconds: number };

/** Counts failed attempts per key and locks the key out with back-off. */
export interface FailureLimiter {
  check(key: string): Promise<LockState>;
  recordFailure(key: string): Promise<{ locked: boolean; retryAfterSeconds?: number }>;
  reset(key: string): Promise<void>;
}
