import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseIdpConfig } from './idp-config';

const demo = readFileSync(new URL('../../idp.config.yaml', import.meta.url), 'utf8');
const vars = { PUBLIC_URL: 'https://id.example.com' };

function errorOf(text: string, env: Record<string, string> = vars): string {
  try {
    parseIdpConfig(text, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('idp.config.yaml', () => {
  it('parses the demo configuration with PUBLIC_URL interpolated in keys and values', () => {
    const config = parseIdpConfig(demo, vars);
    expect(config.regions.map((r) => r.code)).toEqual(['JP', 'TW', 'HK', 'US', 'DE']);
    const web = config.clients.find((c) => c.client_id === 'demo-web');
    expect(web?.redirect_uris).toEqual(['https://id.example.com/demo/callback']);
    expect(Object.keys(web?.resources ?? {})).toEqual(['https://id.example.com/api/demo']);
    expect(config.policies.sign_in_lockout.max_failures).toBe(5);
  });

  it('names the offending key', () => {
    expect(errorOf(demo.replace('supported_regions: [JP, TW, HK, US]', 'supported_regions: [JP, XX]'))).toContain('clients.0.supported_regions.1: unknown region "XX"');
    expect(errorOf(demo.replace('token_endpoint_auth_method: none', 'token_endpoint_auth_method: magic'))).toContain('clients.1.token_endpoint_auth_method');
    expect(errorOf(`${demo}\nunknown_top_level: 1\n`)).toContain('unknown_top_level');
  });

  it('refuses a public client with a secret and a confidential client without one', () => {
    const publicWithSecret = demo.replace("client_name: Meridian demo mobile app", "client_name: Meridian demo mobile app\n    client_secret: a-secret-that-is-long-enough");
    expect(errorOf(publicWithSecret)).toContain('clients.1.client_secret: a public client must not have a secret');
  });

  it('applies the RFC 7591 defaults: grant_types [authorization_code], client_secret_basic, client_name optional', () => {
    const minimal = "clients:\n  - client_id: minimal\n    client_secret: minimal-secret-0123456789abcdef\n    redirect_uris: ['https://rp.example/cb']\n    supported_regions: [JP]\n";
    const client = parseIdpConfig(demo.replace('clients:\n', minimal), vars).clients[0];
    expect(client).toMatchObject({ client_id: 'minimal', grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' });
    expect(client?.client_name).toBeUndefined();
  });

  it('names a missing environment variable', () => {
    expect(errorOf('regions: [{ code: JP, default_locale: ja, locales: [ja] }]\nclients:\n  - client_id: ${MISSING_ID}', vars)).toContain('MISSING_ID');
  });

  it('carries the private_key_jwt demo client\'s public key and refuses a private one', () => {
    const config = parseIdpConfig(demo, vars);
    const jwt = config.clients.find((c) => c.client_id === 'demo-service-jwt');
    expect(jwt?.token_endpoint_auth_method).toBe('private_key_jwt');
    expect(jwt?.jwks?.keys).toHaveLength(1);
    expect(config.internal_networks).toEqual(['localhost']);
    const withPrivate = demo.replace('alg: ES256, use: sig, x:', 'alg: ES256, use: sig, d: c2VjcmV0, x:');
    expect(errorOf(withPrivate)).toMatch(/clients\.3\.jwks\.keys\.0: must be a public key/);
  });

  it('reports YAML syntax errors', () => {
    expect(errorOf('regions: [')).toContain('not valid YAML');
  });
});
