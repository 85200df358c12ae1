import { SIGN_IN_CODE_ERRORS } from '../../interaction/[uid]/email-code/email-code-errors';

/** Errors the link page may show (from /upstream/link/send and /confirm); anything else in the query is ignored. */
export const LINK_ERROR_CODES = ['signin.invalid_credentials', 'signin.locked', 'signin.invalid_input', ...SIGN_IN_CODE_ERRORS] as const;
