import { cookies } from 'next/headers';
import * as oidc from 'openid-client';
import { seeOther } from '../../_lib/responses';
import { DEMO_AUTH_COOKIE, DEMO_SESSION_COOKIE, demoCookie, demoUrl, getDemoRp, openDemoCookie, sealDemoCookie } from '../_lib/demo-rp';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';

type AuthState = { codeVerifier: string; state: string; nonce: string };

/** GET /demo/callback — redeems the code, checks state, nonce and the ID token, keeps the claims. */
export async function GET(request: Request) {
  requireDemoMode();
  const cookieStore = await cookies();
  const auth = await openDemoCookie<AuthState>(cookieStore.get(DEMO_AUTH_COOKIE)?.value);
  const incoming = new URL(request.url);
  const currentUrl = new URL(`${incoming.pathname}${incoming.search}`, demoUrl('/'));
  const clearAuth = demoCookie(DEMO_AUTH_COOKIE, '', 0);
  const error = currentUrl.searchParams.get('error');
  if (error || !auth) return seeOther(`/demo?error=${encodeURIComponent(error ?? 'missing_state')}`, clearAuth);
  try {
    const tokens = await oidc.authorizationCodeGrant(await getDemoRp(), currentUrl, {
      pkceCodeVerifier: auth.codeVerifier,
      expectedState: auth.state,
      expectedNonce: auth.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims() ?? {};
    const session = await sealDemoCookie({ claims, idToken: tokens.id_token }, 3600);
    return seeOther('/demo', clearAuth, demoCookie(DEMO_SESSION_COOKIE, session, 3600));
  } catch (e) {
    const code = e instanceof oidc.ResponseBodyError ? e.error : 'invalid_response';
    return seeOther(`/demo?error=${encodeURIComponent(code)}`, clearAuth);
  }
}
