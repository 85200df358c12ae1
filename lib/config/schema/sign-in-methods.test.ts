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
  it('offers LINE in Japan only and Google everywhere in the demo configuration', () => {
    const byCode = Object.fromEntries(parseIdpConfig(demo, vars).regions.map((r) => [r.code, r.signin_methods]));
    expect(byCode.JP).toEqual(['password', 'line', 'google']);
    for (const code of ['TW', 'HK', 'US', 'DE']) expect(byCode[code]).toEqual(['password', 'google']);
  });

  it('defaults to password', () => {
    expect(parseIdpConfig(region(''), vars).regions[0]?.signin_methods).toEqual(['password']);
  });

  it('refuses an empty list, a repeated method and a malformed id, naming the key', () => {
    expect(errorOf(region('    signin_methods: []\n'))).toContain('regions.0.signin_methods');
    expect(errorOf(region('    signin_methods: [password, line, line]\n'))).toMatch(/regions\.0\.signin_methods.*listed once/s);
    expect(errorOf(region('    signin_methods: [Password]\n'))).toContain('regions.0.signin_methods.0');
  });
});
