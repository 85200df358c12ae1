import estimateGuesses from '@zxcvbn-ts/core/dist/scoring/estimate.cjs';

/**
 * zxcvbn-ts 4.2's "most guessable match sequence" search (scoring/index), with its results as
 * they are and without its waste: stock re-estimates a match (spreading a new object) at every
 * sequence length it tries, builds and estimates a fresh bruteforce match for every (i, k) pair,
 * and walks its tables with Object.keys + parseInt. Here each match is estimated once, a
 * bruteforce span's guesses are computed once per length (they depend on nothing else), and a
 * bruteforce match object is only built when it becomes a best candidate. The arithmetic is the
 * same, in the same order, so guesses are the same to the bit (password-policy.test.ts compares
 * with stock zxcvbn-ts). About half of a strength estimate was this search.
 */

type Match = { i: number; j: number; token: string; pattern: string; guesses?: number | null } & Record<string, unknown>;
type Estimated = Match & { guesses: number; guessesLog10: number };
type Estimate = (options: unknown, match: Match, password: string) => Estimated;
export type MatchSequence = { password: string; guesses: number; guessesLog10: number; sequence: Estimated[] };

// As zxcvbn-ts's data/const: MIN_GUESSES_BEFORE_GROWING_SEQUENCE.
const MIN_GUESSES_BEFORE_GROWING_SEQUENCE = 10000;
const LOG10 = Math.log(10);
const log10 = (n: number) => (n === 0 ? 0 : Math.log(n) / LOG10);

function factorial(n: number): number {
  let value = 1;
  for (let i = 2; i <= n; i += 1) value *= i;
  return value;
}

/** One row of the search table: per sequence length (index), its best metric, product and last match. */
type Row = { total: (number | undefined)[]; product: number[]; best: (Estimated | { pattern: 'bruteforce'; i: number; j: number } | undefined)[] };

export function createMatchSequenceSearch(options: unknown, estimate: Estimate = estimateGuesses as unknown as Estimate) {
  return function mostGuessableMatchSequence(password: string, matches: Match[], excludeAdditive = false): MatchSequence {
    const n = password.length;
    const byEnd: Estimated[][] = Array.from({ length: n }, () => []);
    for (const match of matches) byEnd[match.j]?.push(match as Estimated);
    // Stock sorts each list by i (a stable sort) and estimates on use; the estimate is pure.
    for (let k = 0; k < n; k += 1) byEnd[k] = byEnd[k]!.sort((a, b) => a.i - b.i).map((m) => estimate(options, m, password));
    const rows: Row[] = Array.from({ length: n }, () => ({ total: [], product: [], best: [] }));
    const bruteforceGuesses: number[] = [];
    const bruteforceOf = (length: number, i: number, j: number) =>
      (bruteforceGuesses[length] ??= estimate(options, { pattern: 'bruteforce', token: password.slice(i, j + 1), i, j }, password).guesses);

    /** Stock's update(): a length-`l` sequence ending with a match over [i, k] of `guesses`. */
    const update = (k: number, i: number, guesses: number, l: number, match: Row['best'][number]) => {
      let pi = guesses;
      if (l > 1) pi *= rows[i - 1]!.product[l - 1]!;
      let g = factorial(l) * pi;
      if (!excludeAdditive) g += MIN_GUESSES_BEFORE_GROWING_SEQUENCE ** (l - 1);
      const row = rows[k]!;
      for (let other = 1; other <= l && other < row.total.length; other += 1) {
        const competing = row.total[other];
        if (competing !== undefined && competing <= g) return;
      }
      row.total[l] = g;
      row.best[l] = match;
      row.product[l] = pi;
    };

    for (let k = 0; k < n; k += 1) {
      for (const match of byEnd[k]!) {
        if (match.i > 0) {
          const previous = rows[match.i - 1]!.best;
          // Lengths in ascending order, as Object.keys lists integer keys; this row is not k's.
          for (let l = 1; l < previous.length; l += 1) if (previous[l] !== undefined) update(k, match.i, match.guesses, l + 1, match);
        } else update(k, 0, match.guesses, 1, match);
      }
      // Stock's bruteforceUpdate(k).
      update(k, 0, bruteforceOf(k + 1, 0, k), 1, { pattern: 'bruteforce', i: 0, j: k });
      for (let i = 1; i <= k; i += 1) {
        const previous = rows[i - 1]!.best;
        let guesses: number | undefined;
        for (let l = 1; l < previous.length; l += 1) {
          const last = previous[l];
          // An optimal sequence never has two adjacent bruteforce matches.
          if (last === undefined || last.pattern === 'bruteforce') continue;
          guesses ??= bruteforceOf(k - i + 1, i, k);
          update(k, i, guesses, l + 1, { pattern: 'bruteforce', i, j: k });
        }
      }
    }

    // Stock's unwind(): the length with the lowest metric at the end (the first of equals).
    const sequence: Estimated[] = [];
    let length = 0;
    let lowest = Number.POSITIVE_INFINITY;
    const last = rows[n - 1];
    if (last) {
      for (let l = 1; l < last.total.length; l += 1) {
        const metric = last.total[l];
        if (metric !== undefined && metric < lowest) {
          length = l;
          lowest = metric;
        }
      }
    }
    // A bruteforce span becomes a match object only here, shaped as stock's estimate makes it.
    const materialize = (best: NonNullable<Row['best'][number]>): Estimated => {
      if ('token' in best) return best;
      const guesses = bruteforceGuesses[best.j - best.i + 1]!;
      return { pattern: 'bruteforce', token: password.slice(best.i, best.j + 1), i: best.i, j: best.j, guesses, guessesLog10: log10(guesses) };
    };
    for (let k = n - 1, l = length; k >= 0; l -= 1) {
      const match = materialize(rows[k]!.best[l]!);
      sequence.unshift(match);
      k = match.i - 1;
    }
    const guesses = n === 0 ? 1 : rows[n - 1]!.total[sequence.length]!;
    return { password, guesses, guessesLog10: log10(guesses), sequence };
  };
}
