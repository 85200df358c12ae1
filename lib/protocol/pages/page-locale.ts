import type { KoaContextWithOIDC } from 'oidc-provider';
import { resolveLocale, type SupportedLocale } from '../../i18n/locales';
import { localeCookieName } from '../../http/cookie-names';

/** Locale for provider-rendered pages: ui_locales → cookie → Accept-Language. */
export function pageLocale(ctx: KoaContextWithOIDC): SupportedLocale {
  const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>;
  const uiLocales = typeof params.ui_locales === 'string' ? params.ui_locales : undefined;
  return resolveLocale({
    uiLocales,
    cookie: ctx.cookies.get(localeCookieName()),
    acceptLanguage: ctx.get('accept-language'),
  });
}
