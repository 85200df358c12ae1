import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseIdpConfig } from '../idp-config';

const demo = readFileSync(new URL('../../../idp.config.yaml', import.meta.url), 'utf8');
const vars = { PUBLIC_URL: 'https://id.example.com' };
const region = (methods: string) => `regions:\n  - code: JP\n    default_locale: ja\n    locales: [ja]\n${methods}`;

function errorOf(text: string): string {
  try {
    parseIdpConfig(text, vars);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('signin_methods of a region (idp.config.yaml)', () => {
  it('offers LINE in Japan only, Google everywhere and email codes in Japan and the US in the demo configuration', () => {
    const byCode = Object.fromEntries(parseIdpConfig(demo, vars).regions.map((r) => [r.code, r.signin_methods]));
    expect(byCode.JP).toEqual(['password', 'email_code', 'line', 'google']);
    expect(byCode.US).toEqual(['password', 'email_code', 'google']);
    for (const code of ['TW', 'HK', 'DE']) expect(byCode[code]).toEqual(['password', 'google']);
  });

  it('defaults to password', () => {
    expect(parseIdpConfig(region(''), vars).regions[0]?.signin_methods).toEqual(['password']);
  });

  it('refuses an empty list, a repeated method and a malformed id, naming the key', () => {
    expect(errorOf(region('    signin_methods: []\n'))).toContain('regions.0.signin_methods');
    expect(errorOf(region('    signin_methods: [password, password]\n'))).toMatch(/regions\.0\.signin_methods.*listed once/s);
    expect(errorOf(region('    signin_methods: [Password]\n'))).toContain('regions.0.signin_methods.0');
  });

  it('refuses a method that is neither built in nor a declared social provider, naming it', () => {
    expect(errorOf(region('    signin_methods: [password, line]\n'))).toMatch(/regions\.0\.signin_methods\.1.*"line" is not password, email_code or a provider of social_providers/s);
  });
});

describe('social_providers (idp.config.yaml)', () => {
  const withProviders = (providers: string) => `${region('    signin_methods: [password, line]\n')}social_providers:\n${providers}`;

  it('fills a preset and takes credentials from the environment; without a client id the provider is not configured', () => {
    const config = parseIdpConfig(demo, { ...vars, LINE_CHANNEL_ID: '1650000000', LINE_CHANNEL_SECRET: 's3cret' });
    const line = config.social_providers.find((p) => p.id === 'line');
    expect(line).toMatchObject({ issuer: 'https://access.line.me', clientId: '1650000000', clientSecret: 's3cret', tokenEndpointAuthMethod: 'client_secret_post', trustEmail: true });
    expect(config.social_providers.find((p) => p.id === 'google')).toMatchObject({ issuer: 'https://accounts.google.com', clientId: '', trustEmail: false });
  });

  it('overrides a preset’s issuer, allowing http only on loopback', () => {
    expect(parseIdpConfig(withProviders('  - { id: line, preset: line, issuer: "http://127.0.0.1:4000", client_id: x }\n'), vars).social_providers[0]?.issuer).toBe('http://127.0.0.1:4000');
    expect(errorOf(withProviders('  - { id: line, preset: line, issuer: "http://line.example", client_id: x }\n'))).toMatch(/social_providers\.0\.issuer.*https/s);
  });

  it('requires an issuer for a generic provider, openid among its scopes, and unique ids', () => {
    expect(errorOf(withProviders('  - { id: line, client_id: x }\n'))).toMatch(/social_providers\.0\.issuer.*generic/s);
    expect(errorOf(withProviders('  - { id: line, preset: line, scopes: [email] }\n'))).toMatch(/social_providers\.0\.scopes.*openid/s);
    expect(errorOf(withProviders('  - { id: line, preset: line }\n  - { id: line, preset: google }\n'))).toMatch(/social_providers\.1\.id.*duplicate/s);
  });
});
