import { getIdpConfig } from '../config/idp-config';
import { hostCookieName, secureAttribute } from './cookie-names';

/** The cookie binding sign-up flows to a browser: the ids of its recent flows (httpOnly). */
export const SIGNUP_FLOW_COOKIE = 'meridian_signup';
const MAX_BOUND_FLOWS = 4;

/** Flow ids in the flow cookie of a Cookie header. */
export function boundFlowIdsFrom(cookieHeader: string | null | undefined): string[] {
  const name = hostCookieName(SIGNUP_FLOW_COOKIE);
  const raw = cookieHeader
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  if (!raw) return [];
  return decodeURIComponent(raw)
    .split('.')
    .filter((id) => /^[A-Za-z0-9_-]{20,64}$/.test(id));
}

/** Set-Cookie binding `flowId` to this browser (kept with its few most recent flows). */
export function flowCookieFor(flowId: string, cookieHeader: string | null | undefined): string {
  const ids = [flowId, ...boundFlowIdsFrom(cookieHeader).filter((id) => id !== flowId)].slice(0, MAX_BOUND_FLOWS);
  const maxAge = getIdpConfig().policies.signup.flow_ttl_seconds;
  return `${hostCookieName(SIGNUP_FLOW_COOKIE)}=${ids.join('.')}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secureAttribute()}`;
}
