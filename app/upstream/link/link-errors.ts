/** Errors the link page may show (from /upstream/link/confirm); anything else in the query is ignored. */
export const LINK_ERROR_CODES = ['signin.invalid_credentials', 'signin.locked', 'signin.invalid_input'] as const;
