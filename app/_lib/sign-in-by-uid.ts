import { clientIpFrom } from '@/lib/http/client-ip';
import { getServices } from '@/lib/composition/services';
import { flowCookieFor } from '@/lib/http/sign-up-flow-cookie';
import { seeOther } from './responses';

/**
 * Signs an account in to the interaction `uid` from a path that does not receive the
 * interaction's cookie (the social sign-in callback and link pages, under /upstream): the
 * browser is bound by the upstream state cookie instead, and resuming the authorization still
 * needs the provider's signed resume cookie. An unready account (a new social account, missing
 * steps, new terms) goes into a sign-up flow of its missing steps, which finishes the login with
 * the same `amr`.
 */
export async function signInByUid(
  request: Request,
  uid: string,
  account: { id: string; locale: string },
  login: { acr: string; amr: string[] },
  ...cookies: string[]
): Promise<Response> {
  const { signUp: service, interactions } = getServices();
  const readiness = await service.readiness(account.id);
  const expired = `/interaction/${encodeURIComponent(uid)}?error=signin.expired`;
  if (!readiness) return seeOther(expired, ...cookies);
  if (!readiness.ready || readiness.status !== 'active') {
    const cookieHeader = request.headers.get('cookie');
    const flow = await service.start({
      locale: account.locale,
      interactionUid: uid,
      binding: 'cookie',
      accountId: account.id,
      ip: clientIpFrom(request.headers),
      authMethods: login.amr,
    });
    return seeOther(`/signup/${flow.id}`, flowCookieFor(flow.id, cookieHeader), ...cookies);
  }
  const returnTo = await interactions.finishByUid(uid, { accountId: account.id, acr: login.acr, amr: login.amr });
  return seeOther(returnTo ?? expired, ...cookies);
}
