import { createTranslator } from 'use-intl/core';
import type { SupportedLocale } from './locales';
import { MESSAGES } from './messages';

/** A translator for code that renders outside React (provider pages, mail, API errors). */
export function getTranslator(locale: SupportedLocale) {
  return createTranslator({ locale, messages: MESSAGES[locale] });
}

/** Translates a dotted AppError code such as `signin.locked`, falling back to a generic message. */
export function translateCode(locale: SupportedLocale, code: string, values?: Record<string, string | number>): string {
  const t = getTranslator(locale) as unknown as {
    (key: string, values?: Record<string, string | number>): string;
    has(key: string): boolean;
  };
  return t.has(code) ? t(code, values) : t('error.description');
}
