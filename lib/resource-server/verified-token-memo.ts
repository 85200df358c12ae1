/**
 * Remembers tokens that verified, by their exact string, so a token presented again costs a map
 * lookup instead of a signature check. Rules:
 * 1. only successes are remembered; a token differing by one byte is another token;
 * 2. an entry lives until the earlier of `maxAgeMs` after it was stored and the token's `exp`
 *    (a key removed from the issuer's set stops counting within `maxAgeMs`);
 * 3. at most `size` entries, the oldest dropped first; size 0 remembers nothing.
 */
export function createVerifiedTokenMemo<T>(options: { size: number; maxAgeMs: number }) {
  const entries = new Map<string, { value: T; until: number }>();
  return {
    get(token: string, nowMs: number): T | undefined {
      const hit = entries.get(token);
      if (!hit) return undefined;
      if (nowMs < hit.until) return hit.value;
      entries.delete(token);
      return undefined;
    },
    set(token: string, value: T, expiresAtSeconds: number, nowMs: number): void {
      if (options.size <= 0) return;
      if (entries.size >= options.size) entries.delete(entries.keys().next().value!);
      entries.set(token, { value, until: Math.min(nowMs + options.maxAgeMs, expiresAtSeconds * 1000) });
    },
  };
}
