import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from './locales';
import { MESSAGES } from './messages';
import { plainText, type PlainTextValues } from './plain-text';
import { getTranslator } from './translator';

type Markup = { markup(key: string, values?: PlainTextValues): string };

function idsOf(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => idsOf(v, prefix ? `${prefix}.${k}` : k));
}

/** Every placeholder of `source` with a value (a number where it is a plural), every tag a function. */
function valuesFor(source: string): PlainTextValues {
  const values: PlainTextValues = {};
  for (const [, name] of source.matchAll(/\{\s*(\w+)/g)) values[name!] = 'sample@example.com';
  for (const [, name] of source.matchAll(/\{\s*(\w+)\s*,\s*plural/g)) values[name!] = 3;
  for (const [, tag] of source.matchAll(/<(\w+)>/g)) values[tag!] = (chunks) => `[${chunks}]`;
  return values;
}

describe('plainText', () => {
  for (const locale of SUPPORTED_LOCALES) {
    it(`renders every ${locale} message as use-intl's t.markup does`, () => {
      const t = getTranslator(locale) as unknown as Markup;
      const ids = idsOf(MESSAGES[locale]);
      expect(ids.length).toBeGreaterThan(100);
      for (const id of ids) {
        const source = id.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], MESSAGES[locale]) as string;
        const values = valuesFor(source);
        expect(plainText(locale, id, values), id).toBe(t.markup(id, values));
      }
    });
  }

  it('fills plurals per locale and keeps tag contents', () => {
    expect(plainText('en', 'signup.code.wrong', { remaining: 1 })).toBe(getTranslator('en')('signup.code.wrong', { remaining: 1 }));
    expect(plainText('en', 'signup.code.wrong', { remaining: 1 })).not.toBe(plainText('en', 'signup.code.wrong', { remaining: 4 }));
    expect(plainText('en', 'legal.accept.terms', { href: '/legal/US/terms', version: '2026-01', link: (c) => c })).toBe('I agree to the Terms of Service (version 2026-01)');
  });

  it('answers an unknown id or a missing value as use-intl does', () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (e: unknown) => errors.push(e);
    try {
      expect(plainText('en', 'no.such.message')).toBe((getTranslator('en') as unknown as Markup).markup('no.such.message'));
      expect(plainText('ja', 'signup.code.wrong')).toBe((getTranslator('ja') as unknown as Markup).markup('signup.code.wrong'));
    } finally {
      console.error = original;
    }
    expect(errors.length).toBe(4);
  });
});
