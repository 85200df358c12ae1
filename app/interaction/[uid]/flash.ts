import { getEnv } from '@/lib/config/env';
import { hostCookieName } from '@/lib/http/cookie-names';

/** The email typed into a failed sign-in, kept for the next render of that interaction only. */
export const SIGNIN_EMAIL_COOKIE = 'meridian_signin_email';

/** Set-Cookie keeping `email` for the interaction's next page (or clearing it). */
export function signInEmailCookie(uid: string, email: string | undefined): string {
  const path = `/interaction/${encodeURIComponent(uid)}`;
  const secure = getEnv().publicUrl.protocol === 'https:' ? '; Secure' : '';
  return email
    ? `${SIGNIN_EMAIL_COOKIE}=${encodeURIComponent(email)}; Path=${path}; Max-Age=600; HttpOnly; SameSite=Lax${secure}`
    : `${SIGNIN_EMAIL_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`;
}

/** Error codes the sign-in page may show; anything else in the query is ignored. */
export const SIGNIN_ERROR_CODES = [
  'signin.invalid_credentials',
  'signin.invalid_input',
  'signin.locked',
  'signin.account_disabled',
  'signin.expired',
  'signin.method_unavailable',
  'signin.upstream_failed',
  'signin.upstream_email_unverified',
] as const;

/** Errors that are not about the email and password fields (the fields are not marked invalid). */
export const NOT_FIELD_ERRORS: readonly SignInErrorCode[] = ['signin.method_unavailable', 'signin.upstream_failed', 'signin.upstream_email_unverified'];
export type SignInErrorCode = (typeof SIGNIN_ERROR_CODES)[number];

export function parseSignInError(code: unknown): SignInErrorCode | undefined {
  return SIGNIN_ERROR_CODES.find((c) => c === code);
}

/** The region whose sign-in methods the person chose on the sign-in page (a region code). */
export const SIGNIN_REGION_COOKIE = 'meridian_signin_region';

/** SIGNIN_REGION_COOKIE as this server names it (`__Host-` over https: it is site-wide). */
export function signInRegionCookieName(): string {
  return hostCookieName(SIGNIN_REGION_COOKIE);
}
