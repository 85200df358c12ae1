import { clientIpFrom } from '@/lib/http/client-ip';
import { getServices } from '@/lib/composition/services';
import { flowCookieFor } from '@/lib/http/sign-up-flow-cookie';
import { UI_LOCALES_COOKIE } from '@/lib/i18n/locales';
import { seeOther } from './responses';
import { cookieValue } from '@/lib/http/cookie-value';
import { localeCookieName } from '@/lib/http/cookie-names';

/**
 * After a successful password sign-in on /interaction/:uid/login: tokens go only to ready
 * accounts. An account with missing sign-up steps (never finished, a new required step, a new
 * terms version) is sent into a flow of exactly those steps, bound to this interaction; the flow
 * then finishes the interaction (with `authMethods` as its amr; default the password). Null when
 * the account is ready (the caller logs it in).
 */
export async function continueUnreadySignIn(
  request: Request,
  uid: string,
  account: { id: string; locale: string; authMethods?: string[] },
  ...cookies: string[]
): Promise<Response | null> {
  const service = getServices().signUp;
  const readiness = await service.readiness(account.id);
  if (!readiness || (readiness.ready && readiness.status === 'active')) return null;
  const cookieHeader = request.headers.get('cookie');
  const flow = await service.start({
    locale: {
      uiLocales: cookieValue(cookieHeader, UI_LOCALES_COOKIE),
      accountLocale: account.locale,
      cookie: cookieValue(cookieHeader, localeCookieName()),
      acceptLanguage: request.headers.get('accept-language'),
    },
    interactionUid: uid,
    cookieHeader,
    binding: 'cookie',
    accountId: account.id,
    ip: clientIpFrom(request.headers),
    authMethods: account.authMethods ?? null,
  });
  return seeOther(`/signup/${flow.id}`, flowCookieFor(flow.id, cookieHeader), ...cookies);
}
