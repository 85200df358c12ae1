import { z } from 'zod';
import { cookies } from 'next/headers';
import { getServices } from '@/lib/composition/services';
import { isAppError } from '@/lib/domain/errors';
import { requestSignInCode } from '@/lib/domain/sign-in/email-code-sign-in';
import { clientIpFrom } from '@/lib/http/client-ip';
import { UI_LOCALES_COOKIE, resolveLocale } from '@/lib/i18n/locales';
import { readFormPost } from '@/app/_lib/form-post';
import { seeOther } from '@/app/_lib/responses';
import { signInRegionCookieName, signInEmailCookie } from '../../flash';
import { signInMethodsFor } from '../../offered-sign-in-methods';
import { localeCookieName } from '@/lib/http/cookie-names';

export const dynamic = 'force-dynamic';

const emailSchema = z.email().max(320);

/** POST /interaction/<uid>/email-code/send — mails a sign-in code (or pretends to: no enumeration); 303 to the code form. */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const form = await readFormPost(request);
  if (form instanceof Response) return form;
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const view = await getServices().interactions.find(uid, request.headers.get('cookie'));
  if (!view) return seeOther(`${base}?error=signin.expired`);
  const jar = await cookies();
  if (!signInMethodsFor(view, jar.get(signInRegionCookieName())?.value).emailCode) return seeOther(`${base}?error=signin.method_unavailable`);
  const typed = typeof form.get('email') === 'string' ? String(form.get('email')).trim().slice(0, 320) : '';
  const parsed = emailSchema.safeParse(typed);
  if (!parsed.success) return seeOther(`${base}/email-code?error=signin.invalid_input`, signInEmailCookie(uid, typed || undefined));
  const uiLocales = jar.get(UI_LOCALES_COOKIE)?.value ?? (typeof view.params.ui_locales === 'string' ? view.params.ui_locales : null);
  const locale = resolveLocale({ uiLocales, cookie: jar.get(localeCookieName())?.value, acceptLanguage: request.headers.get('accept-language') });
  try {
    await requestSignInCode(getServices().emailCodeSignIn, { interactionUid: uid, email: parsed.data, locale, ip: clientIpFrom(request.headers) });
  } catch (e) {
    if (!isAppError(e)) throw e;
    const details = e.details ? `&minutes=${e.details.minutes ?? 1}&seconds=${e.details.seconds ?? 1}` : '';
    const sent = e.code === 'signin.code_resend_wait' ? 'sent=1&' : '';
    return seeOther(`${base}/email-code?${sent}error=${encodeURIComponent(e.code)}${details}`, signInEmailCookie(uid, parsed.data));
  }
  return seeOther(`${base}/email-code?sent=1`, signInEmailCookie(uid, parsed.data));
}
