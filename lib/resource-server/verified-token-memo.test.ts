import { describe, expect, it } from 'vitest';
import { createVerifiedTokenMemo } from './verified-token-memo';

describe('verified token memo', () => {
  const t0 = Date.parse('2026-11-22T00:00:00Z');

  it('forgets a token at its exp or after maxAgeMs, whichever comes first', () => {
    const memo = createVerifiedTokenMemo<string>({ size: 10, maxAgeMs: 60_000 });
    memo.set('soon', 'a', t0 / 1000 + 30, t0);
    memo.set('later', 'b', t0 / 1000 + 3600, t0);
    expect(memo.get('soon', t0 + 29_999)).toBe('a');
    expect(memo.get('soon', t0 + 30_000)).toBeUndefined();
    expect(memo.get('later', t0 + 59_999)).toBe('b');
    expect(memo.get('later', t0 + 60_000)).toBeUndefined();
  });

  it('drops the oldest entry when full, and remembers nothing with size 0', () => {
    const memo = createVerifiedTokenMemo<number>({ size: 2, maxAgeMs: 60_000 });
    for (const [i, token] of ['x', 'y', 'z'].entries()) memo.set(token, i, t0 / 1000 + 600, t0);
    expect([memo.get('x', t0), memo.get('y', t0), memo.get('z', t0)]).toEqual([undefined, 1, 2]);
    const off = createVerifiedTokenMemo<number>({ size: 0, maxAgeMs: 60_000 });
    off.set('x', 1, t0 / 1000 + 600, t0);
    expect(off.get('x', t0)).toBeUndefined();
  });
});
