/** Port: how guessable a password is (zxcvbn-ts in lib/infra/password-strength/zxcvbn-estimator.ts). */
export interface PasswordStrengthEstimator {
  /**
   * 0 (too guessable) to 4 (very unguessable), zxcvbn's scale; `userInputs` (email, name…) count
   * as guessable. The cost is bounded: only the first STRENGTH_SCORED_LENGTH characters count.
   */
  score(password: string, userInputs: readonly string[]): number;
  /** True when the password is on the estimator's list of common passwords, in any letter case. */
  isCommon(password: string): boolean;
}
