import { z } from 'zod';

/**
 * How a client authenticates and signs (RFC 7591 names). Rules:
 * 1. `none` (public): no secret, no keys;
 * 2. `client_secret_basic` / `client_secret_post`: a secret, no keys;
 * 3. `private_key_jwt`: exactly one of `jwks` (public keys inline) or `jwks_uri`, no secret;
 * 4. keys in `jwks` are public keys only (no private members) with a `kid` each.
 */

export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;

/** Algorithms a client may register for its ID tokens; RS256 when it registers none (OIDC default). */
export const ID_TOKEN_SIGNING_ALGS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;

/** Algorithms we accept on a private_key_jwt assertion. */
export const CLIENT_ASSERTION_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

const publicJwkSchema = z
  .looseObject({ kty: z.enum(['EC', 'RSA', 'OKP']), kid: z.string().min(1) })
  .refine((jwk) => !PRIVATE_MEMBERS.some((m) => m in jwk), 'must be a public key: remove the private members (d, p, q, …)');

export const clientAuthShape = {
  // RFC 7591 §2: client_secret_basic when omitted.
  token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).default('client_secret_basic'),
  // private_key_jwt: the client's public keys, inline…
  jwks: z.strictObject({ keys: z.array(publicJwkSchema).min(1) }).optional(),
  // …or where to fetch them (through the same outgoing-request guard as logout tokens).
  jwks_uri: z.url().optional(),
  // private_key_jwt: the one algorithm its assertions are signed with (default: any of CLIENT_ASSERTION_ALGS).
  token_endpoint_auth_signing_alg: z.enum(CLIENT_ASSERTION_ALGS).optional(),
  // The ID token signature this client expects; unset → RS256, the OIDC default.
  id_token_signed_response_alg: z.enum(ID_TOKEN_SIGNING_ALGS).optional(),
};

type ClientAuth = {
  token_endpoint_auth_method: (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];
  client_secret?: string | undefined;
  jwks?: unknown;
  jwks_uri?: string | undefined;
};

export type ClientAuthIssue = { path: string; message: string };

/** The rules above, as issues keyed by the offending field. */
export function checkClientAuth(c: ClientAuth): ClientAuthIssue[] {
  const issues: ClientAuthIssue[] = [];
  const method = c.token_endpoint_auth_method;
  const keyed = c.jwks !== undefined || c.jwks_uri !== undefined;
  if (method === 'none' && c.client_secret) issues.push({ path: 'client_secret', message: 'a public client must not have a secret' });
  if (method.startsWith('client_secret_') && !c.client_secret) issues.push({ path: 'client_secret', message: 'required for a confidential client' });
  if (method === 'private_key_jwt') {
    if (c.client_secret) issues.push({ path: 'client_secret', message: 'a private_key_jwt client authenticates with its key, not a secret' });
    if (!keyed) issues.push({ path: 'jwks', message: 'private_key_jwt needs jwks or jwks_uri' });
    if (c.jwks !== undefined && c.jwks_uri !== undefined) issues.push({ path: 'jwks_uri', message: 'give jwks or jwks_uri, not both' });
  } else if (keyed) {
    issues.push({ path: c.jwks !== undefined ? 'jwks' : 'jwks_uri', message: 'keys are only used with token_endpoint_auth_method: private_key_jwt' });
  }
  return issues;
}
