import { clientIpFrom } from '@/lib/http/client-ip';
import { getServices } from '@/lib/composition/services';
import { flowCookieFor } from '@/lib/http/sign-up-flow-cookie';
import { resolveLocale } from '@/lib/i18n/locales';
import { seeOther } from '../_lib/responses';
import { appErrorOf, errorPage } from '../_lib/sign-up-http';
import { cookieValue } from '@/lib/http/cookie-value';
import { localeCookieName } from '@/lib/http/cookie-names';

export const dynamic = 'force-dynamic';

/**
 * GET /signup[?interaction=<uid>][&region=TW] — starts a sign-up in this browser, then 303 to
 * /signup/<flowId>. With an interaction, the flow must be started on the interaction's own path
 * (its cookie is scoped there, and proves this browser owns it): 303 to /interaction/<uid>/signup.
 * The region is preselected from `region`, else from the authorization request's `region`, else
 * the client's only region; otherwise the first step asks for it.
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const interaction = url.searchParams.get('interaction');
  const region = url.searchParams.get('region');
  if (interaction) {
    const query = region ? `?region=${encodeURIComponent(region)}` : '';
    return seeOther(`/interaction/${encodeURIComponent(interaction)}/signup${query}`);
  }
  const cookieHeader = request.headers.get('cookie');
  const sources = { cookie: cookieValue(cookieHeader, localeCookieName()), acceptLanguage: request.headers.get('accept-language') };
  try {
    const flow = await getServices().signUp.start({ locale: sources, region, ip: clientIpFrom(request.headers), binding: 'cookie' });
    return seeOther(`/signup/${flow.id}`, flowCookieFor(flow.id, cookieHeader));
  } catch (e) {
    const error = appErrorOf(e);
    if (!error) throw e;
    return errorPage(error, resolveLocale(sources), null);
  }
}
