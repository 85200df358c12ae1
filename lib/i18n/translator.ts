import { createTranslator } from 'use-intl/core';
import type { SupportedLocale } from './locales';
import { MESSAGES } from './messages';

function createFor(locale: SupportedLocale) {
  return createTranslator({ locale, messages: MESSAGES[locale] });
}

// One per locale: a translator keeps its compiled messages (ICU parsing is the expensive part).
const translators = new Map<SupportedLocale, ReturnType<typeof createFor>>();

/** A translator for code that renders outside React (provider pages, mail, API errors). */
export function getTranslator(locale: SupportedLocale) {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = createFor(locale)));
  return t;
}

/** Translates a dotted AppError code such as `signin.locked`, falling back to a generic message. */
export function translateCode(locale: SupportedLocale, code: string, values?: Record<string, string | number>): string {
  const t = getTranslator(locale) as unknown as {
    (key: string, values?: Record<string, string | number>): string;
    has(key: string): boolean;
  };
  return t.has(code) ? t(code, values) : t('error.description');
}
