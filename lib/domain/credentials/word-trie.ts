/**
 * A set of words as a trie in one Int32Array, for finding every word that starts at a position of
 * a text. Four slots a node: its first child, its number of children, its character (a UTF-16 code
 * unit) and its word's id (−1 for none). A node's children are contiguous and sorted by character,
 * and nodes are laid out breadth first, so the first levels, which every search walks, share a few
 * cache lines. Why not a Map of words and a Set of prefixes: during sign-ups the caches are full
 * of the hashes' 19 MiB, and each lookup of a fresh substring in a large hash table missed them
 * several times (hashing, bucket, entry, key); a step down the trie reads one node.
 */
export type WordTrie = {
  /** The words, by id. */
  readonly words: readonly string[];
  /**
   * Calls `found(end, id)` for every word equal to `text[start..end]`, for end from `start` up to
   * `limit − 1`, in order of end.
   */
  eachWordAt(text: string, start: number, limit: number, found: (end: number, id: number) => void): void;
};

const SLOTS = 4;

export function buildWordTrie(words: readonly string[]): WordTrie {
  // Built from the words in code-unit order, breadth first: a node is the range of words that
  // share its prefix, the word equal to the prefix (if any) first, and its children split the
  // rest by their next character. At most one node per character of the words, plus the root.
  const order = words.map((_, id) => id).sort((a, b) => (words[a]! < words[b]! ? -1 : words[a]! > words[b]! ? 1 : 0));
  const capacity = words.reduce((sum, word) => sum + word.length, 1);
  const building = new Int32Array(capacity * SLOTS);
  const from = new Int32Array(capacity);
  const to = new Int32Array(capacity);
  const depth = new Int32Array(capacity);
  to[0] = order.length;
  let count = 1;
  for (let node = 0; node < count; node += 1) {
    let a = from[node]!;
    const b = to[node]!;
    const d = depth[node]!;
    building[node * SLOTS + 3] = -1;
    if (a < b && words[order[a]!]!.length === d) {
      building[node * SLOTS + 3] = order[a]!;
      a += 1;
    }
    building[node * SLOTS] = count;
    while (a < b) {
      const c = words[order[a]!]!.charCodeAt(d);
      let e = a + 1;
      while (e < b && words[order[e]!]!.charCodeAt(d) === c) e += 1;
      building[count * SLOTS + 2] = c;
      from[count] = a;
      to[count] = e;
      depth[count] = d + 1;
      count += 1;
      a = e;
    }
    building[node * SLOTS + 1] = count - building[node * SLOTS]!;
  }
  const slots = building.slice(0, count * SLOTS);

  const childOf = (node: number, c: number): number => {
    let low = slots[node * SLOTS]!;
    let high = low + slots[node * SLOTS + 1]!;
    while (low < high) {
      const middle = (low + high) >> 1;
      const m = slots[middle * SLOTS + 2]!;
      if (m < c) low = middle + 1;
      else if (m > c) high = middle;
      else return middle;
    }
    return -1;
  };

  return {
    words,
    eachWordAt(text, start, limit, found) {
      let node = 0;
      for (let end = start; end < limit; end += 1) {
        // Past the text's end charCodeAt gives NaN, which no child has.
        node = childOf(node, text.charCodeAt(end));
        if (node < 0) return;
        const id = slots[node * SLOTS + 3]!;
        if (id >= 0) found(end, id);
      }
    },
  };
}
