/** The email typed into a failed sign-in, kept for the next render of that interaction only. */
export const SIGNIN_EMAIL_COOKIE = 'meridian_signin_email';

/** Error codes the sign-in page may show; anything else in the query is ignored. */
export const SIGNIN_ERROR_CODES = ['signin.invalid_credentials', 'signin.invalid_input', 'signin.locked', 'signin.account_disabled', 'signin.expired', 'signin.method_unavailable'] as const;
export type SignInErrorCode = (typeof SIGNIN_ERROR_CODES)[number];

export function parseSignInError(code: unknown): SignInErrorCode | undefined {
  return SIGNIN_ERROR_CODES.find((c) => c === code);
}

/** The region whose sign-in methods the person chose on the sign-in page (a region code). */
export const SIGNIN_REGION_COOKIE = 'meridian_signin_region';
