import { describe, expect, it } from 'vitest';
import { buildWordTrie } from './word-trie';

function wordsAt(words: string[], text: string, start: number, limit = text.length): string[] {
  const trie = buildWordTrie(words);
  const found: string[] = [];
  trie.eachWordAt(text, start, limit, (end, id) => {
    expect(trie.words[id]).toBe(text.slice(start, end + 1));
    found.push(`${end}:${trie.words[id]}`);
  });
  return found;
}

describe('word trie', () => {
  const words = ['abc', 'a', 'ab', 'b', 'abd', 'straße', 'ß', '日本', '日本語', 'zz', ''];

  it('finds every word starting at a position, shortest first, and nothing past a missing prefix', () => {
    expect(wordsAt(words, 'xabcd', 1)).toEqual(['1:a', '2:ab', '3:abc']);
    expect(wordsAt(words, 'abd', 0)).toEqual(['0:a', '1:ab', '2:abd']);
    expect(wordsAt(words, 'xabc', 0)).toEqual([]);
    expect(wordsAt(words, 'bz', 0)).toEqual(['0:b']);
  });

  it('compares UTF-16 code units, so any script works', () => {
    expect(wordsAt(words, 'die straße', 4)).toEqual(['9:straße']);
    expect(wordsAt(words, 'ßa', 0)).toEqual(['0:ß']);
    expect(wordsAt(words, '日本語です', 0)).toEqual(['1:日本', '2:日本語']);
  });

  it('stops at the limit, and at the end of the text', () => {
    expect(wordsAt(words, 'abc', 0, 2)).toEqual(['0:a', '1:ab']);
    expect(wordsAt(words, 'abc', 0, 10)).toEqual(['0:a', '1:ab', '2:abc']);
    expect(wordsAt(words, 'z', 0)).toEqual([]);
  });

  it('never reports the empty word', () => {
    expect(wordsAt([''], 'abc', 0)).toEqual([]);
    expect(wordsAt([], 'abc', 0)).toEqual([]);
  });
});
