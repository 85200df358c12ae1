import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import estimateGuesses from '@zxcvbn-ts/core/dist/scoring/estimate.cjs';
import { endMatchingOf } from './zxcvbn-end-matchers';

/**
 * zxcvbn-ts's score capped at `cap` (min(score, cap)) from its own matches, without its full
 * scoring pass. A policy that refuses scores below 2 needs to know only whether the guesses are
 * below 10⁶ + 5, and zxcvbn's metric for a sequence of l matches is l! × Π guesses + 10000^(l−1):
 * every sequence of three or more matches is at least 10⁸. So only sequences of one or two matches
 * can score below 3, and those start at the first character or end at the last: the search
 * estimates only such matches and skips zxcvbn's table over all positions and lengths, its
 * attack times and its feedback (half of a check, measured on a passphrase).
 *
 * Same result as stock: stock's best length-1 sequence ending at each position is the cheapest
 * one (it competes only with other length-1 sequences); its length-2 sequences at the end extend
 * those, and one it skipped lost to a cheaper one of length ≤ 2. Stock never tries two bruteforce
 * spans in a row; here they are tried and always lose to the one span over both (10^a × 10^b × 2
 * + 10000 > 10^(a+b) + 1). The test compares with stock zxcvbn-ts's score.
 */

type Match = { i: number; j: number; token: string; pattern: string } & Record<string, unknown>;
type Estimate = (options: unknown, match: Match, password: string) => { guesses: number };
type Internals = {
  options: { maxLength: number; timeEstimationValues: { scoring: Record<number, number> } };
  main(password: string, userInputs?: (string | number)[]): Match[] | Promise<Match[]>;
  timeEstimates: { guessesToScore(guesses: number): number };
};

// As zxcvbn-ts's TimeEstimates.guessesToScore.
const SCORE_DELTA = 5;
const MIN_GUESSES_BEFORE_GROWING_SEQUENCE = 10000;

export type CappedScore = (password: string, userInputs: string[], cap: number) => number;

export function createCappedScore(factory: ZxcvbnFactory, estimate: Estimate = estimateGuesses as unknown as Estimate): CappedScore {
  const internals = factory as unknown as Internals;
  const endMatching = endMatchingOf(factory);
  // A bruteforce span's guesses depend only on its length and on whether it is the whole password.
  const whole: number[] = [];
  const part: number[] = [];
  return function cappedScore(password, userInputs, cap) {
    const threshold = internals.options.timeEstimationValues.scoring[cap - 1];
    // Sequences of three matches or more must all reach the threshold for the shortcut to hold.
    if (threshold === undefined || threshold + SCORE_DELTA > MIN_GUESSES_BEFORE_GROWING_SEQUENCE ** 2) {
      return Math.min(cap, factory.check(password, userInputs).score);
    }
    const reduced = password.substring(0, internals.options.maxLength);
    const n = reduced.length;
    if (n === 0) return Math.min(cap, internals.timeEstimates.guessesToScore(1));
    const matches = endMatching(reduced, () => internals.main(reduced, userInputs));
    if (matches instanceof Promise) throw new Error('zxcvbn: a matcher is asynchronous');

    const bruteforceOf = (i: number, j: number) => {
      const length = j - i + 1;
      const known = length === n ? whole : part;
      return (known[length] ??= estimate(internals.options, { pattern: 'bruteforce', token: reduced.slice(i, j + 1), i, j }, reduced).guesses);
    };
    // Per end position: the cheapest match from the first character.
    const first: number[] = [];
    const last: { i: number; guesses: number }[] = [];
    for (const match of matches) {
      if (match.i !== 0 && match.j !== n - 1) continue;
      const { guesses } = estimate(internals.options, match, reduced);
      if (match.i === 0 && !(first[match.j]! <= guesses)) first[match.j] = guesses;
      if (match.j === n - 1 && match.i > 0) last.push({ i: match.i, guesses });
    }
    for (let k = 0; k < n; k += 1) {
      const guesses = bruteforceOf(0, k);
      if (!(first[k]! <= guesses)) first[k] = guesses;
    }

    let lowest = first[n - 1]! + 1;
    const consider = (previous: number, guesses: number) => {
      const g = 2 * (guesses * previous) + MIN_GUESSES_BEFORE_GROWING_SEQUENCE;
      if (g < lowest) lowest = g;
    };
    for (const { i, guesses } of last) consider(first[i - 1]!, guesses);
    for (let i = 1; i < n; i += 1) consider(first[i - 1]!, bruteforceOf(i, n - 1));
    return lowest < threshold + SCORE_DELTA ? Math.min(cap, internals.timeEstimates.guessesToScore(lowest)) : cap;
  };
}
