/** Errors of sending and checking a sign-in code (lib/domain/sign-in/email-code-sign-in.ts) a page may show. */
export const SIGN_IN_CODE_ERRORS = ['signin.code_invalid', 'signin.code_expired', 'signin.code_attempts', 'signin.code_resend_wait', 'signin.code_rate_limited'] as const;

/** Errors the email-code page may show; anything else in the query is ignored. */
export const EMAIL_CODE_ERRORS = ['signin.invalid_input', ...SIGN_IN_CODE_ERRORS, 'signin.account_disabled'] as const;
export type EmailCodeError = (typeof EMAIL_CODE_ERRORS)[number];

export function parseEmailCodeError(value: unknown): EmailCodeError | undefined {
  return EMAIL_CODE_ERRORS.find((c) => c === value);
}
