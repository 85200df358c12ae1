// The names alone, without oidc-provider: pages and the sign-up facade compare with them.

/** prompt=create (OpenID Connect Initiating User Registration 1.0): the interaction page sends the person to sign-up. */
export const CREATE_PROMPT = 'create';
/** Ours: the session's account has sign-up steps left (a new required step, a new terms version…). */
export const READINESS_PROMPT = 'readiness';
