import { getEnv } from '@/lib/config/env';
import { clientIpFrom } from '@/lib/http/client-ip';
import { getServices } from '@/lib/composition/services';
import { flowCookieFor } from '@/lib/http/sign-up-flow-cookie';
import { UI_LOCALES_COOKIE, resolveLocale } from '@/lib/i18n/locales';
import { seeOther } from '../../../_lib/responses';
import { appErrorOf, errorPage } from '../../../_lib/sign-up-http';
import { cookieValue } from '@/lib/http/cookie-value';
import { localeCookieName } from '@/lib/http/cookie-names';

export const dynamic = 'force-dynamic';

/**
 * GET /interaction/:uid/signup[?region=TW] — starts a sign-up flow bound to this interaction.
 * On this path the browser sends the interaction cookie, which proves it owns the interaction.
 * When the interaction is the readiness prompt (an SSO session of an unready account), the flow
 * continues that account with its missing steps. 303 to /signup/<flowId>.
 */
export async function GET(request: Request, { params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const cookieHeader = request.headers.get('cookie');
  const uiLocales = cookieValue(cookieHeader, UI_LOCALES_COOKIE);
  const sources = { uiLocales, cookie: cookieValue(cookieHeader, localeCookieName()), acceptLanguage: request.headers.get('accept-language') };
  try {
    const flow = await getServices().signUp.start({
      locale: sources,
      region: new URL(request.url).searchParams.get('region'),
      interactionUid: uid,
      cookieHeader,
      binding: 'cookie',
      ip: clientIpFrom(request.headers),
    });
    const cookies = [flowCookieFor(flow.id, cookieHeader)];
    // The app's ui_locales follows the person onto the flow's page (scoped to it, like on this path).
    if (uiLocales) {
      const secure = getEnv().publicUrl.protocol === 'https:' ? '; Secure' : '';
      cookies.push(`${UI_LOCALES_COOKIE}=${encodeURIComponent(uiLocales)}; Path=/signup/${flow.id}; Max-Age=3600; HttpOnly; SameSite=Lax${secure}`);
    }
    return seeOther(`/signup/${flow.id}`, ...cookies);
  } catch (e) {
    const error = appErrorOf(e);
    if (!error) throw e;
    return errorPage(error, resolveLocale(sources), null);
  }
}
