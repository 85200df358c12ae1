import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './same-origin';

describe('safeReturnPath', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturnPath('/interaction/abc?x=1')).toBe('/interaction/abc?x=1');
  });

  it('refuses anything that could leave the site', () => {
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '', 42]) {
      expect(safeReturnPath(bad, '/home')).toBe('/home');
    }
  });
});
