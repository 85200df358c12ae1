import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { createCappedScore, type CappedScore } from './zxcvbn-capped-score';
import { speedUpZxcvbn } from './zxcvbn-speedups';

/**
 * New passwords, after NIST SP 800-63B (rev. 4, §3.1.1.2). Rules, in order:
 * 1. at least PASSWORD_MIN_LENGTH characters (code points): 15, because the password is the
 *    account's only authenticator at sign-up (AAL1; the 8-character floor applies only to
 *    passwords used with a second factor);
 * 2. at most PASSWORD_MAX_LENGTH (NIST asks to allow at least 64);
 * 3. no composition rules (no "one digit, one symbol"), any Unicode, spaces allowed;
 * 4. refused when it is on the common-password list bundled in @zxcvbn-ts/language-common
 *    (~49,000 passwords from breach corpora), compared case-insensitively;
 * 5. refused when zxcvbn-ts scores it below MIN_STRENGTH_SCORE (repetitive or sequential, such
 *    as "aaaaaaaaaaaaaaaa", or built from the person's own email address);
 * 6. a refused password's score (0–4) travels with the answer, so a renderer can show a strength
 *    meter; an accepted one's is not computed beyond "at least MIN_STRENGTH_SCORE", which is all
 *    the policy needs and half the work (zxcvbn-capped-score.ts).
 * zxcvbn's work grows with the length and with every l33t substitution it tries: with its
 * defaults a 128-character password of letters and digits took ~160 ms of the event loop, a
 * cheap way to stall the server. It scores the first STRENGTH_SCORED_LENGTH characters and tries
 * at most 10 substitutions (same scores on our samples, ≤ ~10 ms).
 */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;
export const MIN_STRENGTH_SCORE = 2;
export const STRENGTH_SCORED_LENGTH = 64;

export type PasswordCheck =
  | { ok: true }
  | { ok: false; score: number | undefined; reason: 'too_short' | 'too_long' | 'common' | 'weak' };

let factory: ZxcvbnFactory | undefined;
let capped: CappedScore | undefined;
let common: Set<string> | undefined;

/** The strength estimator with our settings; `stock` leaves zxcvbn-ts's own matchers as they are (tests). */
export function createStrengthEstimator({ stock = false }: { stock?: boolean } = {}): ZxcvbnFactory {
  const estimator = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, useLevenshteinDistance: false, maxLength: STRENGTH_SCORED_LENGTH, l33tMaxSubstitutions: 10 });
  if (!stock) speedUpZxcvbn(estimator);
  return estimator;
}

/** Built on first use (~70 ms: the dictionaries are ranked once per process). */
function zxcvbn(): ZxcvbnFactory {
  factory ??= createStrengthEstimator();
  return factory;
}

function cappedScore(): CappedScore {
  capped ??= createCappedScore(zxcvbn());
  return capped;
}

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** Length in code points, as a person counts characters (an emoji is one). */
export function passwordLength(password: string): number {
  return [...password].length;
}

/** Checks a new password; `userInputs` (email, name…) count as guessable for the score. */
export function checkNewPassword(password: string, userInputs: string[] = []): PasswordCheck {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return { ok: false, score: undefined, reason: 'too_short' };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, score: undefined, reason: 'too_long' };
  const inputs = userInputs.flatMap((u) => [u, ...u.split(/[@.+_-]/)]).filter((u) => u.length >= 3);
  if (commonPasswords().has(password.toLowerCase())) return { ok: false, score: zxcvbn().check(password, inputs).score, reason: 'common' };
  const score = cappedScore()(password, inputs, MIN_STRENGTH_SCORE);
  if (score < MIN_STRENGTH_SCORE) return { ok: false, score, reason: 'weak' };
  return { ok: true };
}
