import type { PasswordStrengthEstimator } from './password-strength';

/**
 * New passwords, after NIST SP 800-63B (rev. 4, §3.1.1.2). Rules, in order:
 * 1. at least PASSWORD_MIN_LENGTH characters (code points): 15, because the password is the
 *    account's only authenticator at sign-up (AAL1; the 8-character floor applies only to
 *    passwords used with a second factor);
 * 2. at most PASSWORD_MAX_LENGTH (NIST asks to allow at least 64);
 * 3. no composition rules (no "one digit, one symbol"), any Unicode, spaces allowed;
 * 4. refused when it is on the estimator's common-password list (zxcvbn-ts: ~49,000 passwords
 *    from breach corpora), compared case-insensitively;
 * 5. refused when the estimator scores it below MIN_STRENGTH_SCORE (repetitive or sequential, such
 *    as "aaaaaaaaaaaaaaaa", or built from the person's own email address);
 * 6. a refused password's score (0–4) travels with the answer, so a renderer can show a strength
 *    meter.
 * Only the first STRENGTH_SCORED_LENGTH characters are scored: an estimate's work grows with the
 * length, and a 128-character password would otherwise be a cheap way to stall the server.
 */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;
export const MIN_STRENGTH_SCORE = 2;
export const STRENGTH_SCORED_LENGTH = 64;

export type PasswordCheck =
  | { ok: true }
  | { ok: false; score: number | undefined; reason: 'too_short' | 'too_long' | 'common' | 'weak' };

/** Length in code points, as a person counts characters (an emoji is one). */
export function passwordLength(password: string): number {
  return [...password].length;
}

/** Checks a new password; `userInputs` (email, name…) and their parts count as guessable for the score. */
export function checkNewPassword(password: string, userInputs: readonly string[], strength: PasswordStrengthEstimator): PasswordCheck {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return { ok: false, score: undefined, reason: 'too_short' };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, score: undefined, reason: 'too_long' };
  const inputs = userInputs.flatMap((u) => [u, ...u.split(/[@.+_-]/)]).filter((u) => u.length >= 3);
  const score = strength.score(password, inputs);
  if (strength.isCommon(password)) return { ok: false, score, reason: 'common' };
  if (score < MIN_STRENGTH_SCORE) return { ok: false, score, reason: 'weak' };
  return { ok: true };
}
