import type Provider from 'oidc-provider';

/**
 * Cookies that let relying parties POST to /auth and /session/end (OIDC Core 3.1.2.1,
 * RP-Initiated Logout §2). Rules:
 * 1. only the session cookie (oidc-provider's `cookies.long`) must survive a cross-site POST:
 *    it gets SameSite=None; Secure — oidc-provider refuses POST support otherwise;
 * 2. every other cookie keeps SameSite=Lax (interaction and resume cookies, ours);
 * 3. Secure needs a secure context: https, or http on a loopback host (browsers treat
 *    http://localhost, 127.0.0.1 and [::1] as secure contexts and keep Secure cookies there);
 * 4. on any other http host the session cookie stays Lax and POST stays off (404);
 * 5. over https the session cookie (Path=/) is `__Host-` prefixed, as our own site-wide cookies
 *    are (lib/http/cookie-names.ts): no sibling subdomain or plain-http page can plant or
 *    shadow it. The interaction cookies are scoped to their own paths, so the prefix (which needs
 *    Path=/) does not apply to them.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackHttp(publicUrl: URL): boolean {
  return publicUrl.protocol === 'http:' && (LOOPBACK_HOSTS.has(publicUrl.hostname) || publicUrl.hostname.endsWith('.localhost'));
}

/** Rule 3: whether the session cookie can be SameSite=None; Secure, so POST can be on. */
export function crossSitePostSupported(publicUrl: URL): boolean {
  return publicUrl.protocol === 'https:' || isLoopbackHttp(publicUrl);
}

/** oidc-provider's `cookies.long` (the session cookie). */
export function sessionCookieOptions(publicUrl: URL): { httpOnly: true; sameSite: 'none' | 'lax'; secure: boolean } {
  return crossSitePostSupported(publicUrl)
    ? { httpOnly: true, sameSite: 'none', secure: true }
    : { httpOnly: true, sameSite: 'lax', secure: publicUrl.protocol === 'https:' };
}

/** oidc-provider's `cookies.names` (rule 5). */
export function providerCookieNames(publicUrl: URL): { session: string; interaction: string; resume: string } {
  return {
    session: publicUrl.protocol === 'https:' ? '__Host-session' : '_session',
    interaction: '_interaction',
    resume: '_interaction_resume',
  };
}

/**
 * Koa refuses to write a Secure cookie on a request it does not see as secure. On loopback http
 * the browser does keep it (rule 3), so the provider's requests count as secure there; its
 * protocol stays http, so every URL it mints keeps PUBLIC_URL's scheme.
 */
export function allowSecureCookiesOnLoopback(provider: Provider, publicUrl: URL): void {
  if (!isLoopbackHttp(publicUrl)) return;
  Object.defineProperty(provider.request, 'secure', { configurable: true, get: () => true });
}
