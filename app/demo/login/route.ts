import * as oidc from 'openid-client';
import { matchUiLocales } from '@/lib/i18n/locales';
import { seeOther } from '../../_lib/responses';
import { DEMO_AUTH_COOKIE, demoCookie, demoUrl, getDemoRp, sealDemoCookie } from '../_lib/demo-rp';
import { requireDemoMode } from '@/app/_lib/demo-mode';

export const dynamic = 'force-dynamic';

/** GET /demo/login — starts code + PKCE at Meridian ID (optionally with ?ui_locales=ja). */
export async function GET(request: Request) {
  requireDemoMode();
  const config = await getDemoRp();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: demoUrl('/demo/callback'),
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  const uiLocales = matchUiLocales(new URL(request.url).searchParams.get('ui_locales'));
  if (uiLocales) params.ui_locales = uiLocales;
  const sealed = await sealDemoCookie({ codeVerifier, state, nonce }, 600);
  return seeOther(oidc.buildAuthorizationUrl(config, params).href, demoCookie(DEMO_AUTH_COOKIE, sealed, 600));
}
