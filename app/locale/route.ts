import { UI_LOCALES_COOKIE, matchLocale } from '@/lib/i18n/locales';
import { localeCookieName, secureAttribute } from '@/lib/http/cookie-names';
import { safeReturnPath } from '@/lib/http/same-origin';
import { readFormPost } from '../_lib/form-post';
import { seeOther } from '../_lib/responses';

export const dynamic = 'force-dynamic';

const ONE_YEAR_SECONDS = 365 * 86_400;

/** POST /locale — the language switcher. The choice outranks the client's ui_locales from now on. */
export async function POST(request: Request) {
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const returnTo = safeReturnPath(form.get('return_to'));
  const locale = matchLocale(String(form.get('locale') ?? ''));
  if (!locale) return seeOther(returnTo);
  const secure = secureAttribute();
  const path = returnTo.split('?')[0] ?? '/';
  return seeOther(
    returnTo,
    `${localeCookieName()}=${locale}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax${secure}`,
    `${UI_LOCALES_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  );
}
