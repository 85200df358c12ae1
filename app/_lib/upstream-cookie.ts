import { getEnv } from '@/lib/config/env';
import { cookieValue } from '@/lib/infra/http/cookie-value';

/**
 * The browser's half of a social sign-in: the `state` sent upstream. Scoped to /upstream (the
 * callback and the link page), SameSite=Lax so the provider's redirect back (a top-level GET)
 * carries it, and short-lived: the database holds only its hash.
 */
export const UPSTREAM_COOKIE = 'meridian_upstream';
export const UPSTREAM_TTL_SECONDS = 600;

export function upstreamCookie(state: string | null): string {
  const secure = getEnv().publicUrl.protocol === 'https:' ? '; Secure' : '';
  return state
    ? `${UPSTREAM_COOKIE}=${encodeURIComponent(state)}; Path=/upstream; Max-Age=${UPSTREAM_TTL_SECONDS}; HttpOnly; SameSite=Lax${secure}`
    : `${UPSTREAM_COOKIE}=; Path=/upstream; Max-Age=0; HttpOnly; SameSite=Lax${secure}`;
}

/** The state if `value` (the cookie's) looks like one we made, else null. */
export function parseUpstreamState(value: string | undefined): string | null {
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
}

export function upstreamStateFrom(cookieHeader: string | null): string | null {
  return parseUpstreamState(cookieValue(cookieHeader, UPSTREAM_COOKIE));
}
