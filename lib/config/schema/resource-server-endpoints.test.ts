import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseIdpConfig } from '../idp-config';

const vars = { PUBLIC_URL: 'https://id.example.com' };

function config(endpoints: string): string {
  return `
regions:
  - { code: JP, default_locale: ja, locales: [ja] }
  - { code: TW, default_locale: zh-TW, locales: [zh-TW] }
  - { code: US, default_locale: en, locales: [en] }
resource_servers:
  - identifier: https://api.example.com
    name: API
    regions: [JP, TW]
    scopes: { read: Read, write: Write }
    endpoints:
${endpoints}
`;
}

function errorOf(text: string): string {
  try {
    parseIdpConfig(text, vars);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('resource_servers[].endpoints', () => {
  it('parses rules, with defaults', () => {
    const parsed = parseIdpConfig(
      config(`      - { method: GET, path: /items, scopes: [read] }
      - { method: [POST, PUT], path: '/items/:id', regions: [JP], scopes: [write], acr: 'urn:meridian:aal2', max_age_seconds: 300 }
      - { method: '*', path: '/files/*' }
      - { method: GET, path: /statements, scopes: [read], dpop: required }`),
      vars,
    );
    expect(parsed.resource_servers[0]?.endpoints).toEqual([
      { method: 'GET', path: '/items', scopes: ['read'] },
      { method: ['POST', 'PUT'], path: '/items/:id', regions: ['JP'], scopes: ['write'], acr: 'urn:meridian:aal2', max_age_seconds: 300 },
      { method: '*', path: '/files/*', scopes: [] },
      { method: 'GET', path: '/statements', scopes: ['read'], dpop: 'required' },
    ]);
  });

  it('names the offending key', () => {
    expect(errorOf(config('      - { method: GET, path: /items, scopes: [delete] }'))).toContain('resource_servers.0.endpoints.0.scopes.0: unknown scope "delete"');
    expect(errorOf(config('      - { method: GET, path: /items, regions: [XX] }'))).toContain('resource_servers.0.endpoints.0.regions.0: unknown region "XX"');
    expect(errorOf(config('      - { method: GET, path: /items, regions: [US] }'))).toContain(`resource_servers.0.endpoints.0.regions.0: region "US" is not one of this resource server's regions`);
    expect(errorOf(config("      - { method: GET, path: /items, acr: 'urn:other:gold' }"))).toContain('resource_servers.0.endpoints.0.acr');
    expect(errorOf(config('      - { method: FETCH, path: /items }'))).toContain('resource_servers.0.endpoints.0.method');
    expect(errorOf(config('      - { method: GET, path: items }'))).toContain('resource_servers.0.endpoints.0.path');
    expect(errorOf(config("      - { method: GET, path: '/a/*/b' }"))).toContain('* is only allowed as the whole last segment');
    expect(errorOf(config("      - { method: GET, path: '/a/b*' }"))).toContain('* is only allowed as the whole last segment');
    expect(errorOf(config('      - { method: GET, path: /items, scope: [read] }'))).toContain('resource_servers.0.endpoints.0');
    expect(errorOf(config('      - { method: GET, path: /items, dpop: always }'))).toContain('resource_servers.0.endpoints.0.dpop');
  });

  it('the demo configuration declares the demo API’s endpoints', () => {
    const demo = parseIdpConfig(readFileSync(new URL('../../../idp.config.yaml', import.meta.url), 'utf8'), vars);
    const api = demo.resource_servers.find((r) => r.identifier === 'https://id.example.com/api/demo');
    expect(api?.endpoints.map((e) => `${String(e.method)} ${e.path}`)).toEqual([
      'GET /api/demo/items',
      'POST /api/demo/items',
      'GET /api/demo/fintech/balance',
      'POST /api/demo/fintech/transfers',
      'GET /api/demo/fintech/statements',
    ]);
    expect(api?.endpoints.find((e) => e.path === '/api/demo/fintech/statements')?.dpop).toBe('required');
    expect(api?.endpoints.find((e) => e.path === '/api/demo/fintech/balance')?.regions).toEqual(['JP']);
    expect(demo.clients.find((c) => c.client_id === 'demo-tw-hk')?.supported_regions).toEqual(['TW', 'HK']);
  });
});
