import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { UI_LOCALES_COOKIE, resolveLocale } from './locales';
import { MESSAGES } from './messages';
import { localeCookieName } from '../http/cookie-names';

export default getRequestConfig(async () => {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale({
    uiLocales: cookieStore.get(UI_LOCALES_COOKIE)?.value,
    cookie: cookieStore.get(localeCookieName())?.value,
    acceptLanguage: headerStore.get('accept-language'),
  });
  return { locale, messages: MESSAGES[locale] };
});
