import { describe, expect, it } from 'vitest';
import { acrMeets } from './acr';
import { compileEndpointRules, findEndpointRule, type EndpointRule } from './endpoint-rules';

const RULES: EndpointRule[] = [
  { method: 'GET', path: '/api/items', scopes: ['items:read'] },
  { method: ['post', 'PUT'], path: '/api/items/:id', scopes: ['items:write'] },
  { method: 'GET', path: '/api/items/:id', scopes: ['items:read'] },
  { method: '*', path: '/api/files/*' },
  { method: 'GET', path: '/', scopes: [] },
];

describe('endpoint rules', () => {
  const compiled = compileEndpointRules(RULES);
  const find = (method: string, path: string) => findEndpointRule(compiled, method, path);

  it('matches literal paths, ignoring one trailing slash', () => {
    expect(find('GET', '/api/items')).toBe(RULES[0]);
    expect(find('GET', '/api/items/')).toBe(RULES[0]);
    expect(find('GET', '/api/itemsx')).toBeUndefined();
    expect(find('GET', '/')).toBe(RULES[4]);
  });

  it('matches :name against exactly one non-empty segment', () => {
    expect(find('GET', '/api/items/42')).toBe(RULES[2]);
    expect(find('GET', '/api/items/42/more')).toBeUndefined();
    expect(find('GET', '/api/items//')).toBeUndefined();
  });

  it('matches methods case-insensitively, lists and *; the first matching rule wins', () => {
    expect(find('put', '/api/items/42')).toBe(RULES[1]);
    expect(find('POST', '/api/items/42')).toBe(RULES[1]);
    expect(find('DELETE', '/api/items/42')).toBeUndefined();
    expect(find('DELETE', '/api/files/a/b/c')).toBe(RULES[3]);
  });

  it('matches a final * against any remainder, including none', () => {
    expect(find('GET', '/api/files')).toBe(RULES[3]);
    expect(find('GET', '/api/files/x')).toBe(RULES[3]);
    expect(find('GET', '/api/filesx')).toBeUndefined();
  });

  it('denies by default: no rule, no match', () => {
    expect(find('GET', '/api/unknown')).toBeUndefined();
    expect(findEndpointRule(compileEndpointRules([]), 'GET', '/')).toBeUndefined();
  });

  it('refuses patterns it cannot match safely', () => {
    expect(() => compileEndpointRules([{ method: 'GET', path: 'api/items' }])).toThrow(/must start with \//);
    expect(() => compileEndpointRules([{ method: 'GET', path: '/api/*/items' }])).toThrow(/last segment/);
    expect(() => compileEndpointRules([{ method: 'GET', path: '/api/:' }])).toThrow(/needs a name/);
    expect(() => compileEndpointRules([{ method: [], path: '/api' }])).toThrow(/at least one method/);
    expect(() => compileEndpointRules([{ method: 'GET', path: '/api', maxAgeSeconds: -1 }])).toThrow(/maxAgeSeconds/);
  });
});

describe('acr order', () => {
  it('aal1 < aal2 < aal2:phr; missing or unknown values meet no minimum', () => {
    expect(acrMeets('urn:meridian:aal1', 'urn:meridian:aal1')).toBe(true);
    expect(acrMeets('urn:meridian:aal1', 'urn:meridian:aal2')).toBe(false);
    expect(acrMeets('urn:meridian:aal2', 'urn:meridian:aal2')).toBe(true);
    expect(acrMeets('urn:meridian:aal2:phr', 'urn:meridian:aal2')).toBe(true);
    expect(acrMeets('urn:meridian:aal2', 'urn:meridian:aal2:phr')).toBe(false);
    expect(acrMeets(undefined, 'urn:meridian:aal1')).toBe(false);
    expect(acrMeets('urn:other:gold', 'urn:meridian:aal1')).toBe(false);
    expect(() => acrMeets('urn:meridian:aal1', 'urn:other:gold')).toThrow(/unknown acr/);
  });
});
