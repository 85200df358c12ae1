import { describe, expect, it } from 'vitest';
import { createMemoryReplayCache } from './dpop-replay-cache';

describe('DPoP replay cache (in memory)', () => {
  it('a key is new once, a replay while remembered, new again once it expired', () => {
    const cache = createMemoryReplayCache();
    expect(cache.remember('a', 2_000, 1_000)).toBe(true);
    expect(cache.remember('a', 2_000, 1_500)).toBe(false);
    expect(cache.remember('b', 2_000, 1_500)).toBe(true);
    expect(cache.remember('a', 3_000, 2_000)).toBe(true);
  });

  it('is bounded: expired entries go first, then the oldest', () => {
    const cache = createMemoryReplayCache({ size: 2 });
    cache.remember('old', 1_500, 1_000);
    cache.remember('x', 9_000, 1_000);
    // 'old' expired: dropped to make room, 'x' stays remembered.
    expect(cache.remember('y', 9_000, 2_000)).toBe(true);
    expect(cache.remember('x', 9_000, 2_000)).toBe(false);
    // Full with live entries: the oldest ('x') is evicted for 'z'; 'y' stays.
    expect(cache.remember('z', 9_000, 2_000)).toBe(true);
    expect(cache.remember('y', 9_000, 2_000)).toBe(false);
    expect(cache.remember('x', 9_000, 2_000)).toBe(true);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => createMemoryReplayCache({ size: 0 })).toThrow(/positive integer/);
  });
});
