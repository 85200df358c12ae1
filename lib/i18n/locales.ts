import { SUPPORTED_LOCALES, type SupportedLocale } from '../config/idp-config-schema';

export { SUPPORTED_LOCALES, type SupportedLocale };
export const DEFAULT_LOCALE: SupportedLocale = 'en';

/** The user's explicit choice from the language switcher. */
export const LOCALE_COOKIE = 'NEXT_LOCALE';
/** The relying party's ui_locales for one interaction, scoped to that interaction's path. */
export const UI_LOCALES_COOKIE = 'meridian_ui_locales';

/** Maps a BCP 47 tag to a supported locale: ja-JP → ja, zh-Hant / zh-HK → zh-TW. */
export function matchLocale(tag: string): SupportedLocale | undefined {
  const lower = tag.trim().toLowerCase();
  if (!lower) return undefined;
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const [language, ...rest] = lower.split('-');
  if (language === 'zh') {
    // Only Traditional Chinese is offered; Simplified speakers are not forced into it.
    return rest.some((p) => p === 'hant' || p === 'tw' || p === 'hk' || p === 'mo') ? 'zh-TW' : undefined;
  }
  return SUPPORTED_LOCALES.find((l) => l === language);
}

/** First supported locale in a space-separated list (the OIDC ui_locales format). */
export function matchUiLocales(uiLocales: string | undefined | null): SupportedLocale | undefined {
  for (const tag of (uiLocales ?? '').split(/\s+/)) {
    const m = matchLocale(tag);
    if (m) return m;
  }
  return undefined;
}

/** Best supported locale from an Accept-Language header, by q-value then order. */
export function matchAcceptLanguage(header: string | undefined | null): SupportedLocale | undefined {
  const ranged = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.tag && r.tag !== '*' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranged) {
    const m = matchLocale(r.tag);
    if (m) return m;
  }
  return undefined;
}

export type LocaleSources = {
  uiLocales?: string | null;
  accountLocale?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
  regionDefault?: SupportedLocale | null;
};

/** ui_locales → the account's saved locale → cookie → Accept-Language → the region's default → en. */
export function resolveLocale(sources: LocaleSources): SupportedLocale {
  return (
    matchUiLocales(sources.uiLocales) ??
    (sources.accountLocale ? matchLocale(sources.accountLocale) : undefined) ??
    (sources.cookie ? matchLocale(sources.cookie) : undefined) ??
    matchAcceptLanguage(sources.acceptLanguage) ??
    sources.regionDefault ??
    DEFAULT_LOCALE
  );
}
