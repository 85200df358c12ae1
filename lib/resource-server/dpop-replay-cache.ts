/**
 * Remembers the DPoP proofs a resource server accepted, so the same proof is accepted once
 * (RFC 9449 §11.1). Rules:
 * 1. `remember(key, untilMs)` answers true the first time a key is seen, false while it is
 *    remembered (a replay);
 * 2. an entry is forgotten after `untilMs` (the proof's `iat` window has closed by then, so the
 *    iat check refuses it anyway);
 * 3. at most `size` entries: expired ones at the head are dropped first, then the oldest one.
 *    Size it above peak proofs per second × the iat window (default 100 000).
 *
 * Behind several server processes each keeps its own memory: give the guard a shared store
 * (any object with `remember`, e.g. on Redis `SET key 1 NX PXAT untilMs`) instead.
 */
export type DpopReplayCache = {
  remember(key: string, untilMs: number, nowMs: number): boolean | Promise<boolean>;
};

// A Map, not lru-cache: lib/resource-server must stay usable with only `jose` (README), and
// entries arrive roughly in expiry order, so evicting the oldest inserted is what an LRU would do.
export function createMemoryReplayCache(options: { size?: number } = {}): DpopReplayCache {
  const size = options.size ?? 100_000;
  if (!(Number.isInteger(size) && size > 0)) throw new Error('the DPoP replay cache size must be a positive integer');
  const untilByKey = new Map<string, number>();
  return {
    remember(key, untilMs, nowMs) {
      const seenUntil = untilByKey.get(key);
      if (seenUntil !== undefined && seenUntil > nowMs) return false;
      untilByKey.delete(key);
      for (const [oldest, until] of untilByKey) {
        if (until > nowMs && untilByKey.size < size) break;
        untilByKey.delete(oldest);
      }
      untilByKey.set(key, untilMs);
      return true;
    },
  };
}
