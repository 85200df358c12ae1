export type LockState = { locked: false } | { locked: true; retryAfterSeconds: number };

/** Counts failed attempts per key and locks the key out with back-off. */
export interface FailureLimiter {
  check(key: string): Promise<LockState>;
  /**
   * `within`: a transaction of a store on the same database (a SignUpTx) to count in, so the
   * count commits or rolls back with it; without, the count commits on its own.
   */
  recordFailure(key: string, within?: object): Promise<{ locked: boolean; retryAfterSeconds?: number }>;
  reset(key: string): Promise<void>;
}
