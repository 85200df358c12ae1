import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './same-origin';

const ATTACKS = [
  'https://evil.example/',
  '//evil.example/x',
  '/\\evil.example',
  '\\/evil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example',
  '/./\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\t\\evil.example',
  '/a/../..//evil.example',
  'javascript:alert(1)',
  '',
  42,
];

describe('safeReturnPath', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturnPath('/interaction/abc?x=1')).toBe('/interaction/abc?x=1');
  });

  it('answers the normalized path, as the browser would resolve it', () => {
    expect(safeReturnPath('/a/./b/../c?x=1')).toBe('/a/c?x=1');
    expect(safeReturnPath('/%2e/demo')).toBe('/demo');
  });

  it('refuses anything that could leave the site, in every spelling', () => {
    for (const bad of ATTACKS) expect(safeReturnPath(bad, '/home'), JSON.stringify(bad)).toBe('/home');
  });
});
