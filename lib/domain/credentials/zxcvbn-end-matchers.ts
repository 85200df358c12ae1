import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { SEPERATOR_CHARS } from '@zxcvbn-ts/core/dist/data/const.cjs';

/**
 * The capped score (zxcvbn-capped-score.ts) reads only matches from the first character or to
 * the last. Three of zxcvbn-ts's matchers took most of a passphrase's matching time (caches cold:
 * repeat ~270 µs, spatial ~115 µs, separator ~100 µs, against ~90 µs for the dictionary search),
 * and a passphrase seldom holds one of their matches at an end. While the capped score matches,
 * each of them is skipped when none of its matches can touch an end:
 * - repeat: a match is a string repeated at least twice. One from the first character starts
 *   with a square (a string followed by itself), one to the last ends with one.
 * - separator: a match is one separator character after some other character, so never the
 *   first: at an end it is the last character. (Its 10 guesses tie a one-character bruteforce
 *   span's, so it never decides a score; the rule does not rely on that.)
 * - spatial: a match is a run of at least three characters, each a key next to the one before on
 *   one keyboard: the first three or the last three are such a run.
 * Any other matching (the full check of a common password, the tests' stock comparison) runs
 * them as they are.
 */

type Graph = Record<string, (string | null)[]>;
type Matcher = { match(this: unknown, options: { password: string }): unknown };
type Internals = { options?: { graphs?: Record<string, Graph> }; matching?: { matchers?: Record<string, Matcher> } };

function startsWithSquare(s: string): boolean {
  for (let length = 1; 2 * length <= s.length; length += 1) if (s.startsWith(s.slice(length, 2 * length))) return true;
  return false;
}

function endsWithSquare(s: string): boolean {
  const n = s.length;
  for (let length = 1; 2 * length <= n; length += 1) if (s.endsWith(s.slice(n - 2 * length, n - length))) return true;
  return false;
}

const SEPARATORS = new Set<string>(SEPERATOR_CHARS);

/** As the spatial matcher steps: `next` is on a key next to `previous`'s. */
function adjacent(graph: Graph, previous: string, next: string): boolean {
  return (graph[previous] ?? []).some((keys) => keys !== null && keys.includes(next));
}

function runOfThree(graph: Graph, s: string, at: number): boolean {
  return adjacent(graph, s.charAt(at), s.charAt(at + 1)) && adjacent(graph, s.charAt(at + 1), s.charAt(at + 2));
}

/** Runs `fn` (the capped score's matching of `password`) with the three matchers skipped where they can only find nothing it reads. */
export type EndMatching = <T>(password: string, fn: () => T) => T;

export function endMatchingOf(factory: ZxcvbnFactory): EndMatching {
  const internals = factory as unknown as Internals;
  const matchers = internals.matching?.matchers;
  const graphs = Object.values(internals.options?.graphs ?? {});
  let active: string | undefined;
  const canTouchAnEnd: Record<string, (s: string) => boolean> = {
    repeat: (s) => startsWithSquare(s) || endsWithSquare(s),
    separator: (s) => SEPARATORS.has(s.charAt(s.length - 1)),
    spatial: (s) => s.length >= 3 && graphs.some((graph) => runOfThree(graph, s, 0) || runOfThree(graph, s, s.length - 3)),
  };
  for (const [name, test] of Object.entries(canTouchAnEnd)) {
    const matcher = matchers?.[name];
    if (typeof matcher?.match !== 'function') continue;
    const original = matcher.match;
    // Only the capped score's own password: the repeat matcher matches its repeated part too.
    matcher.match = function match(options) {
      return options.password === active && !test(options.password) ? [] : original.call(this, options);
    };
  }
  return (password, fn) => {
    active = password;
    try {
      return fn();
    } finally {
      active = undefined;
    }
  };
}
