import { createTranslator } from 'use-intl/core';
import { type Locale, messagesFor } from './messages';

type LooseTranslator = {
  markup(key: string, values?: Record<string, string | number | ((chunks: string) => string)>): string;
  raw(key: string): unknown;
  has(key: string): boolean;
};

const keepChunks = (chunks: string) => chunks;

/**
 * A UI string by its dotted key, formatted for `locale` as the page renders it (ICU plurals,
 * placeholders; rich-text tags such as <link> keep their text). Unlike the typed translator it
 * takes any key (flow message ids come from the server) and throws when one is missing.
 */
export function textFor(locale: Locale, key: string, values?: Record<string, string | number>): string {
  const t = createTranslator({ locale, messages: messagesFor(locale) }) as unknown as LooseTranslator;
  if (!t.has(key) || typeof t.raw(key) !== 'string') throw new Error(`no message "${key}" in messages/${locale}.json`);
  return t.markup(key, { ...values, link: keepChunks, strong: keepChunks });
}
