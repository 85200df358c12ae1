import { describe, expect, it } from 'vitest';
import { matchAcceptLanguage, matchLocale, matchUiLocales, resolveLocale } from './locales';
import { MESSAGES } from './messages';

describe('locale resolution', () => {
  it('maps regional tags onto supported locales', () => {
    expect(matchLocale('ja-JP')).toBe('ja');
    expect(matchLocale('zh-Hant-HK')).toBe('zh-TW');
    expect(matchLocale('zh-CN')).toBeUndefined();
    expect(matchLocale('fr')).toBeUndefined();
  });

  it('takes the first supported ui_locales entry', () => {
    expect(matchUiLocales('fr-CA ja en')).toBe('ja');
    expect(matchUiLocales('')).toBeUndefined();
  });

  it('orders Accept-Language by q-value', () => {
    expect(matchAcceptLanguage('fr;q=1, en;q=0.5, zh-TW;q=0.8')).toBe('zh-TW');
    expect(matchAcceptLanguage('ja;q=0, en')).toBe('en');
  });

  it('prefers ui_locales over cookie over Accept-Language', () => {
    expect(resolveLocale({ uiLocales: 'ja', cookie: 'en', acceptLanguage: 'zh-TW' })).toBe('ja');
    expect(resolveLocale({ cookie: 'zh-TW', acceptLanguage: 'ja' })).toBe('zh-TW');
    expect(resolveLocale({ acceptLanguage: 'de, ja;q=0.5' })).toBe('ja');
    expect(resolveLocale({})).toBe('en');
  });
});

function keysOf(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('messages', () => {
  it('every locale has exactly the keys of en', () => {
    const reference = keysOf(MESSAGES.en).sort();
    for (const [locale, messages] of Object.entries(MESSAGES)) {
      expect(keysOf(messages).sort(), locale).toEqual(reference);
    }
  });
});
