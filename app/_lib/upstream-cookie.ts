import { cookieValue } from '@/lib/http/cookie-value';
import { hostCookieName, secureAttribute } from '@/lib/http/cookie-names';

/**
 * The browser's half of a social sign-in: the `state` sent upstream. Site-wide (Path=/) so that
 * over https it carries the `__Host-` prefix: no subdomain or plain-http page can plant a state
 * of its own (login CSRF). SameSite=Lax so the provider's redirect back (a top-level GET)
 * carries it, and short-lived: the database holds only its hash.
 */
export const UPSTREAM_COOKIE = 'meridian_upstream';
export const UPSTREAM_TTL_SECONDS = 600;

/** UPSTREAM_COOKIE as this server names it. */
export function upstreamCookieName(): string {
  return hostCookieName(UPSTREAM_COOKIE);
}

export function upstreamCookie(state: string | null): string {
  const attributes = `Path=/; Max-Age=${state ? UPSTREAM_TTL_SECONDS : 0}; HttpOnly; SameSite=Lax${secureAttribute()}`;
  return `${upstreamCookieName()}=${state ? encodeURIComponent(state) : ''}; ${attributes}`;
}

/** The state if `value` (the cookie's) looks like one we made, else null. */
export function parseUpstreamState(value: string | undefined): string | null {
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
}

export function upstreamStateFrom(cookieHeader: string | null): string | null {
  return parseUpstreamState(cookieValue(cookieHeader, upstreamCookieName()));
}
