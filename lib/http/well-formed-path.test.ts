import { describe, expect, it } from 'vitest';
import { isWellFormedPath } from './well-formed-path';

describe('isWellFormedPath', () => {
  it('accepts plain and correctly escaped paths', () => {
    for (const ok of ['/', '/interaction/abc', '/legal/JP/terms', '/signup/%E6%97%A5%E6%9C%AC', '/a%20b']) expect(isWellFormedPath(ok), ok).toBe(true);
  });

  it('refuses escapes that are not UTF-8 or not escapes at all', () => {
    for (const bad of ['/interaction/%ff', '/signup/%ff', '/legal/%ff/x', '/a/%e6%97', '/%', '/a%zz', '/%c0%af']) expect(isWellFormedPath(bad), bad).toBe(false);
  });
});
