import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { buildWordTrie, type WordTrie } from './word-trie';
import { createMatchSequenceSearch, type MatchSequence } from './zxcvbn-scoring';

/**
 * Three shortcuts in zxcvbn-ts 4.2's matching and scoring that leave its results as they are
 * (the test compares guesses and match sequences with stock zxcvbn-ts). Together they cut a
 * passphrase's estimate to about a sixth; strength estimation had become a quarter of a
 * sign-up's CPU.
 *
 * 1. Its dictionary search looks up every substring of the password up to the longest word
 *    (~30 characters) in every dictionary, again for the reversed password and for each l33t
 *    reading. Here the static dictionaries' words are one trie (word-trie.ts), and the per-call
 *    user inputs another: from each start position the search walks down them only as long as
 *    some word begins with what follows.
 * 2. Its l33t matcher repeats the whole dictionary search even when the password holds none of
 *    the l33t table's substitutions ("4", "|_|", "vv"…), and then it can only find nothing.
 * 3. Its search for the most guessable match sequence (scoring) is zxcvbn-scoring.ts's, for the
 *    estimate and for the repeat matcher's estimate of a repeated base.
 * 4. Its word-sequence matcher ("oneTwoThree") runs its own three dictionary searches over the
 *    word-sequence dictionaries (numbers, months…), and the l33t one rewrites the password first;
 *    with none of those dictionaries loaded (as here) it can only find nothing.
 *
 * The matchers are not zxcvbn-ts's public API: when they are not where this version keeps them,
 * or a setting these shortcuts do not cover is on (Levenshtein distance), nothing is changed.
 */

type Ranked = Record<string, number>;
type UserInputsOptions = { rankedDictionary: Ranked; rankedDictionaryMaxWordSize: number } | undefined;
type MatchOptions = { password: string; userInputsOptions?: UserInputsOptions };
type DictionaryMatch = {
  pattern: 'dictionary';
  i: number;
  j: number;
  token: string;
  matchedWord: string;
  rank: number;
  dictionaryName: string;
  reversed: boolean;
  l33t: boolean;
};
type Matcher = { match(this: object, options: MatchOptions): unknown };
type Scoring = { mostGuessableMatchSequence(password: string, matches: never[], excludeAdditive?: boolean): MatchSequence };
type Internals = {
  scoring?: Scoring;
  options?: {
    l33tTable?: Record<string, string[]>;
    useLevenshteinDistance?: boolean;
    isWordSequence?: (name: string) => boolean;
    rankedDictionaries?: Record<string, Ranked>;
    rankedDictionariesMaxWordSize?: Record<string, number>;
  };
  matching?: { matchers?: Record<string, Matcher & { scoring?: Scoring }> };
};

/** The static dictionaries as one trie: a span is looked up once, whatever the number of dictionaries. */
type WordIndex = {
  trie: WordTrie;
  /** Per word id, its ranks in the dictionaries' order (the order zxcvbn-ts reports matches of one span in). */
  ranks: { dictionaryName: string; rank: number; maxWordSize: number }[][];
};

function indexWords(dictionaries: [string, Ranked, number][]): WordIndex {
  const ids = new Map<string, number>();
  const ranks: WordIndex['ranks'] = [];
  for (const [dictionaryName, ranked, maxWordSize] of dictionaries) {
    for (const [word, rank] of Object.entries(ranked)) {
      let id = ids.get(word);
      if (id === undefined) {
        id = ranks.length;
        ids.set(word, id);
        ranks.push([]);
      }
      ranks[id]!.push({ dictionaryName, rank, maxWordSize });
    }
  }
  return { trie: buildWordTrie([...ids.keys()]), ranks };
}

/**
 * Every (i, j, dictionary) whose lower-cased substring is a word of that dictionary, in the order
 * zxcvbn-ts sorts them into (by i, then j, then dictionary order, the per-call user inputs last).
 * Like zxcvbn-ts, spans run over the password's length, on its lower-cased text (which can be
 * longer: "İ" lower-cases to two code units).
 */
// zxcvbn-ts builds a check's user inputs once and hands them to the plain, reversed and l33t searches.
const inputTries = new WeakMap<NonNullable<UserInputsOptions>, WordTrie>();

function inputTrieOf(userInputs: NonNullable<UserInputsOptions>): WordTrie {
  let trie = inputTries.get(userInputs);
  if (!trie) inputTries.set(userInputs, (trie = buildWordTrie(Object.keys(userInputs.rankedDictionary))));
  return trie;
}

function findWords(password: string, index: WordIndex, userInputs: UserInputsOptions): DictionaryMatch[] {
  const lower = password.toLowerCase();
  const n = password.length;
  const matches: DictionaryMatch[] = [];
  const push = (i: number, j: number, word: string, dictionaryName: string, rank: number) =>
    matches.push({ pattern: 'dictionary', i, j, token: password.slice(i, j + 1), matchedWord: word, rank, dictionaryName, reversed: false, l33t: false });
  for (let i = 0; i < n; i += 1) {
    index.trie.eachWordAt(lower, i, n, (j, id) => {
      for (const entry of index.ranks[id]!) if (j - i < entry.maxWordSize) push(i, j, index.trie.words[id]!, entry.dictionaryName, entry.rank);
    });
  }
  if (userInputs) {
    const ranked = userInputs.rankedDictionary;
    const inputs = inputTrieOf(userInputs);
    for (let i = 0; i < n; i += 1) {
      inputs.eachWordAt(lower, i, Math.min(n, i + userInputs.rankedDictionaryMaxWordSize), (j, id) => {
        const word = inputs.words[id]!;
        push(i, j, word, 'userInputs', ranked[word]!);
      });
    }
  }
  // Stable: matches of one (i, j) keep the dictionaries' order, as in zxcvbn-ts's own loop.
  return matches.sort((a, b) => a.i - b.i || a.j - b.j);
}

const fastSearch = new WeakMap<object, (options: MatchOptions) => DictionaryMatch[]>();
const patchedPrototypes = new WeakSet<object>();

/**
 * Routes the dictionary search of the given matcher instances to `findWords`. The method lives on
 * zxcvbn-ts's MatchDictionary prototype, which the reversed and l33t matchers reach through
 * `super.match`: it is replaced once by a dispatcher that keeps the original for every instance
 * not registered here (another estimator, or the word-sequence matcher).
 */
function routeDictionarySearch(prototype: Matcher, instances: object[], search: (options: MatchOptions) => DictionaryMatch[]): void {
  if (!patchedPrototypes.has(prototype)) {
    patchedPrototypes.add(prototype);
    const original = prototype.match;
    prototype.match = function match(this: object, options: MatchOptions) {
      const fast = fastSearch.get(this);
      return fast ? fast(options) : original.call(this, options);
    };
  }
  for (const instance of instances) fastSearch.set(instance, search);
}

export function speedUpZxcvbn(factory: ZxcvbnFactory): void {
  const internals = factory as unknown as Internals;
  const options = internals.options;
  const matchers = internals.matching?.matchers;
  const dictionary = matchers?.dictionary;
  const reversed = matchers?.dictionaryReverse;
  const l33t = matchers?.dictionaryL33t;
  if (!options || !dictionary || !reversed || !l33t) return;

  const search = createMatchSequenceSearch(options);
  for (const scoring of [internals.scoring, matchers.repeat?.scoring]) {
    if (typeof scoring?.mostGuessableMatchSequence === 'function') scoring.mostGuessableMatchSequence = search as Scoring['mostGuessableMatchSequence'];
  }

  const wordSequence = matchers.wordSequence;
  const ranked = options.rankedDictionaries;
  if (wordSequence && ranked && typeof options.isWordSequence === 'function' && !Object.keys(ranked).some((name) => options.isWordSequence!(name))) {
    wordSequence.match = () => [];
  }

  const table = options.l33tTable;
  if (table) {
    const substitutions = [...new Set(Object.values(table).flat())];
    const search = l33t.match.bind(l33t);
    l33t.match = (o) => (substitutions.some((s) => o.password.includes(s)) ? search(o) : []);
  }

  const prototype = Object.getPrototypeOf(dictionary) as Matcher | null;
  const shared = (m: object) => Object.getPrototypeOf(Object.getPrototypeOf(m)) === prototype;
  const sizes = options.rankedDictionariesMaxWordSize;
  // A static dictionary named like the per-call one would merge with it: not covered here.
  if (options.useLevenshteinDistance || !ranked || !sizes || 'userInputs' in ranked || !prototype || !shared(reversed) || !shared(l33t)) return;
  const index = indexWords(Object.entries(ranked).map(([name, words]): [string, Ranked, number] => [name, words, sizes[name] ?? 0]));
  routeDictionarySearch(prototype, [dictionary, reversed, l33t], (o) => findWords(o.password, index, o.userInputsOptions));
}
