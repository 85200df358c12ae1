import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIdpConfig } from '../config/idp-config';
import { isLocalSignInMethod } from '../config/schema/sign-in-methods';
import { MESSAGES } from './messages';

/** Every key under a namespace, as dotted paths ("providers.line"). */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

const demo = parseIdpConfig(readFileSync(new URL('../../idp.config.yaml', import.meta.url), 'utf8'), { PUBLIC_URL: 'https://id.example.com' });
const locales = Object.keys(MESSAGES) as (keyof typeof MESSAGES)[];

describe('sign-in page messages', () => {
  it('has the same signin.* keys in every language', () => {
    const english = keysOf(MESSAGES.en.signin).sort();
    for (const locale of locales) expect(keysOf(MESSAGES[locale].signin).sort(), locale).toEqual(english);
  });

  it('has the region picker and method labels in every language', () => {
    for (const locale of locales) {
      const m = MESSAGES[locale];
      for (const key of ['continueWith', 'or', 'regionChange', 'regionCurrent', 'method_unavailable'] as const) {
        expect(m.signin[key], `${locale} signin.${key}`).toMatch(/\S/);
      }
      expect(m.region.label, `${locale} region.label`).toMatch(/\S/);
    }
  });

  it('names every region and social provider of the demo configuration in every language', () => {
    const providers = new Set(demo.regions.flatMap((r) => r.signin_methods.filter((m) => !isLocalSignInMethod(m))));
    expect([...providers].sort()).toEqual(['google', 'line']);
    for (const locale of locales) {
      const names = MESSAGES[locale].signin.providers as Record<string, string>;
      const regions = MESSAGES[locale].region.names as Record<string, string>;
      for (const id of providers) expect(names[id], `${locale} signin.providers.${id}`).toMatch(/\S/);
      for (const r of demo.regions) expect(regions[r.code], `${locale} region.names.${r.code}`).toMatch(/\S/);
    }
  });
});
