import { getServices } from '@/lib/composition/services';
import { ACR } from '@/lib/domain/assurance/assurance-levels';
import { isAppError } from '@/lib/domain/errors';
import { resolveUpstreamSignIn } from '@/lib/domain/sign-in/upstream-sign-in';
import { resolveLocale } from '@/lib/i18n/locales';
import { getEnv } from '@/lib/config/env';
import { seeOther } from '@/app/_lib/responses';
import { signInByUid } from '@/app/_lib/sign-in-by-uid';
import { errorPage } from '@/app/_lib/sign-up-http';
import { upstreamCookie, upstreamStateFrom } from '@/app/_lib/upstream-cookie';
import { cookieValue } from '@/lib/http/cookie-value';
import { localeCookieName } from '@/lib/http/cookie-names';

export const dynamic = 'force-dynamic';

/**
 * GET /upstream/<provider>/callback — the provider's answer. Rules, in order:
 * 1. the browser must hold the state of a live, unused sign-in for this provider (else a
 *    localized "expired" page: a replayed or foreign callback changes nothing);
 * 2. the state is used once, then the code is redeemed and the ID token validated (state, nonce,
 *    PKCE, iss); the person cancelling (access_denied) returns to the sign-in page quietly,
 *    any other failure with a localized notice;
 * 3. lib/domain/sign-in/upstream-sign-in.ts decides: sign in, create (then the region's
 *    remaining sign-up steps), or link to an existing account after its password (/upstream/link).
 */
export async function GET(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  const { provider: providerId } = await params;
  const cookieHeader = request.headers.get('cookie');
  const locale = resolveLocale({ cookie: cookieValue(cookieHeader, localeCookieName()), acceptLanguage: request.headers.get('accept-language') });
  const expired = () => errorPage({ code: 'signin.upstream_expired', status: 400, details: undefined }, locale, null);
  const state = upstreamStateFrom(cookieHeader);
  const provider = getServices().upstream.findProvider(providerId);
  if (!state || !provider) return expired();
  const login = await getServices().upstream.logins.find(state);
  const now = new Date();
  if (!login || login.provider !== provider.id || login.expiresAt <= now || !(await getServices().upstream.logins.consume(state, now))) return expired();

  const page = `/interaction/${encodeURIComponent(login.interactionUid)}`;
  const clear = upstreamCookie(null);
  // The URL the provider redirected to, on our public origin (never a client-sent Host).
  const incoming = new URL(request.url);
  const callbackUrl = new URL(`${incoming.pathname}${incoming.search}`, getEnv().publicUrl.origin);
  let claims;
  try {
    claims = await getServices().upstream.connector.completeAuthorization(provider, { callbackUrl, state, nonce: login.nonce, codeVerifier: login.codeVerifier });
  } catch (e) {
    await getServices().upstream.logins.remove(state);
    if (getServices().upstream.connector.isAccessDenied(e)) return seeOther(page, clear);
    console.error(`[upstream] ${provider.id}: callback failed`, e);
    return seeOther(`${page}?error=signin.upstream_failed`, clear);
  }

  try {
    const outcome = await resolveUpstreamSignIn(getServices().upstreamSignIn, { claims, region: login.region, locale: login.locale });
    if (outcome.kind === 'link_required') {
      await getServices().upstream.logins.awaitLink(state, { accountId: outcome.account.id, subject: claims.subject, email: claims.email });
      return seeOther('/upstream/link');
    }
    await getServices().upstream.logins.remove(state);
    const account = outcome.kind === 'linked' ? outcome.account : { id: outcome.accountId, locale: login.locale };
    const acr = outcome.kind === 'linked' ? outcome.acr : ACR.aal1;
    return await signInByUid(request, login.interactionUid, account, { acr, amr: outcome.amr }, clear);
  } catch (e) {
    if (!isAppError(e)) throw e;
    await getServices().upstream.logins.remove(state);
    const known = ['signin.account_disabled', 'signin.upstream_email_unverified'];
    return seeOther(`${page}?error=${known.includes(e.code) ? e.code : 'signin.expired'}`, clear);
  }
}
