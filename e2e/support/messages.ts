import { createTranslator } from 'use-intl/core';
import en from '../../messages/en.json';
import ja from '../../messages/ja.json';
import zhTW from '../../messages/zh-TW.json';

/**
 * The expected UI strings come from the same messages/*.json the app renders, so a journey
 * checks that each page is in the right language without restating translations.
 */
export const LOCALES = ['en', 'ja', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];

export type Messages = typeof en;
const MESSAGES: Record<Locale, Messages> = { en, ja, 'zh-TW': zhTW };

export function messagesFor(locale: Locale): Messages {
  return MESSAGES[locale];
}

/** ICU formatting for messages with arguments (`signin.locked`, `demo.signedInAs`, …). */
export function translatorFor(locale: Locale) {
  return createTranslator({ locale, messages: MESSAGES[locale] });
}

/** The browser locale (Accept-Language, navigator.language) for someone who reads `locale`. */
export const BROWSER_LOCALE: Record<Locale, string> = { en: 'en-US', ja: 'ja-JP', 'zh-TW': 'zh-TW' };
