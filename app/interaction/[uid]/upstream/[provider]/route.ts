import { cookies } from 'next/headers';
import { getServices } from '@/lib/composition/services';
import { getEnv } from '@/lib/config/env';
import { getIdpConfig } from '@/lib/config/idp-config';
import { UI_LOCALES_COOKIE, resolveLocale } from '@/lib/i18n/locales';
import { readFormPost } from '@/app/_lib/form-post';
import { seeOther } from '@/app/_lib/responses';
import { UPSTREAM_TTL_SECONDS, upstreamCookie } from '@/app/_lib/upstream-cookie';
import { signInRegionCookieName } from '../../flash';
import { signInMethodsFor } from '../../offered-sign-in-methods';
import { localeCookieName } from '@/lib/http/cookie-names';

export const dynamic = 'force-dynamic';

/**
 * POST /interaction/<uid>/upstream/<provider> — a social sign-in button. Only a provider the
 * page's region offers (and that is configured) starts; the state, nonce and PKCE verifier are
 * kept server-side under the hash of the state, the state in a cookie; 303 to the provider.
 */
export async function POST(request: Request, { params }: { params: Promise<{ uid: string; provider: string }> }) {
  const { uid, provider: providerId } = await params;
  const refused = await readFormPost(request);
  if (refused instanceof Response) return refused;
  const page = `/interaction/${encodeURIComponent(uid)}`;
  const cookieHeader = request.headers.get('cookie');
  const view = await getServices().interactions.find(uid, cookieHeader);
  if (!view) return seeOther(`${page}?error=signin.expired`);
  const jar = await cookies();
  const methods = signInMethodsFor(view, jar.get(signInRegionCookieName())?.value);
  const provider = getServices().upstream.findProvider(providerId);
  if (!provider || !methods.region || !methods.social.includes(provider.id)) return seeOther(`${page}?error=signin.method_unavailable`);

  const uiLocales = jar.get(UI_LOCALES_COOKIE)?.value ?? (typeof view.params.ui_locales === 'string' ? view.params.ui_locales : null);
  const regionDefault = getIdpConfig().regions.find((r) => r.code === methods.region)?.default_locale ?? null;
  const locale = resolveLocale({ uiLocales, cookie: jar.get(localeCookieName())?.value, acceptLanguage: request.headers.get('accept-language'), regionDefault });
  const redirectUri = `${getEnv().publicUrl.origin}/upstream/${encodeURIComponent(provider.id)}/callback`;
  let authorization;
  try {
    authorization = await getServices().upstream.connector.buildAuthorization(provider, { redirectUri, uiLocales: locale });
  } catch (e) {
    // Discovery failed (provider down, unreachable): say so and let the person pick another method.
    console.error(`[upstream] ${provider.id}: discovery failed`, e);
    return seeOther(`${page}?error=signin.method_unavailable`);
  }
  const now = new Date();
  await getServices().upstream.logins.insert(
    authorization.state,
    {
      provider: provider.id,
      interactionUid: uid,
      region: methods.region,
      locale,
      nonce: authorization.nonce,
      codeVerifier: authorization.codeVerifier,
      expiresAt: new Date(now.getTime() + UPSTREAM_TTL_SECONDS * 1000),
    },
    now,
  );
  return seeOther(authorization.url.href, upstreamCookie(authorization.state));
}
