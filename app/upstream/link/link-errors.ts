/** Errors the link page may show (from /upstream/link/send and /confirm); anything else in the query is ignored. */
export const LINK_ERROR_CODES = [
  'signin.invalid_credentials',
  'signin.locked',
  'signin.invalid_input',
  'signin.code_invalid',
  'signin.code_expired',
  'signin.code_attempts',
  'signin.code_resend_wait',
  'signin.code_rate_limited',
] as const;
