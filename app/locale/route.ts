import { getEnv } from '@/lib/config/env';
import { LOCALE_COOKIE, UI_LOCALES_COOKIE, matchLocale } from '@/lib/i18n/locales';
import { safeReturnPath } from '@/lib/infra/http/same-origin';
import { seeOther } from '../_lib/responses';

export const dynamic = 'force-dynamic';

const ONE_YEAR_SECONDS = 365 * 86_400;

/** POST /locale — the language switcher. The choice outranks the client's ui_locales from now on. */
export async function POST(request: Request) {
  const form = await request.formData();
  const returnTo = safeReturnPath(form.get('return_to'));
  const locale = matchLocale(String(form.get('locale') ?? ''));
  if (!locale) return seeOther(returnTo);
  const secure = getEnv().publicUrl.protocol === 'https:' ? '; Secure' : '';
  const path = returnTo.split('?')[0] ?? '/';
  return seeOther(
    returnTo,
    `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax${secure}`,
    `${UI_LOCALES_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  );
}
