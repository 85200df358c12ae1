import { z } from 'zod';

/** RFC 8693 grant type. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The token types we accept (short names in config, RFC 8693 §3 URNs on the wire). */
export const TOKEN_TYPE_URNS = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;
export const PRESENTED_TOKEN_KINDS = ['access_token', 'id_token', 'jwt'] as const;
export type PresentedTokenKind = (typeof PRESENTED_TOKEN_KINDS)[number];

/** Only asymmetric algorithms: `none` and HS* (a shared secret we would have to hold) never verify. */
export const ASYMMETRIC_JWS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'not a valid scope token');

/** `host` or `host:port`, lower case; the sector that pairwise identifiers are computed for. */
export const sectorIdentifierSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, 'must be a host name such as travel.example.com (no scheme, no path)');

/** Per-client token exchange policy (clients[].token_exchange). Nothing is allowed unless listed. */
export const tokenExchangePolicySchema = z.strictObject({
  // Token types the client may present as subject_token (short names of the RFC 8693 URNs).
  subject_token_types: z.array(z.enum(PRESENTED_TOKEN_KINDS)).min(1),
  // Token types accepted as actor_token when the client delegates (access tokens by default).
  actor_token_types: z.array(z.enum(PRESENTED_TOKEN_KINDS)).default(['access_token']),
  // Besides its own tokens, our access tokens the client may exchange: those whose `aud` is one of
  // these resource servers (never a client: ID tokens are accepted only from their own client).
  // Empty: its own only.
  subject_token_audiences: z.array(z.string().min(1)).default([]),
  // trusted_issuers[].name whose JWTs the client may present. Empty: none.
  trusted_issuers: z.array(z.string().min(1)).default([]),
  // Resource servers the client may get exchanged tokens for; each must also be in `resources`,
  // which caps the scopes (the service permission registry, shared with client_credentials).
  audiences: z.array(z.url()).min(1),
  // Further limit on the scopes of exchanged tokens; unset: whatever `resources` allows.
  scopes: z.array(scopeToken).optional(),
  // Impersonation: no actor_token, the new token is simply the subject's. Off by default.
  impersonation: z.boolean().default(false),
  // Delegation: with an actor_token, the new token names the actor in `act`. Off by default.
  delegation: z.boolean().default(false),
  // Exchanged tokens are short-lived: this, or the resource server's TTL if shorter.
  access_token_ttl_seconds: z.number().int().positive().max(3600).default(300),
});
export type TokenExchangePolicyConfig = z.infer<typeof tokenExchangePolicySchema>;

const publicJwkSchema = z
  .looseObject({ kty: z.enum(['RSA', 'EC', 'OKP']), kid: z.string().optional() })
  .refine((jwk) => !('d' in jwk) && !('p' in jwk) && !('k' in jwk), 'must be a public key (no private members)');

/** Inline JWKS, as YAML or as a JSON string (so `${CI_JWKS}` can hold it). */
const inlineJwksSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  },
  z.strictObject({ keys: z.array(publicJwkSchema).min(1) }),
);

/** Rules, in order, mapping an external subject to a local identity; the first match wins. */
const externalSubjectRuleSchema = z
  .strictObject({
    // The token's `sub`, exactly, or a pattern in which `*` stands for any run of characters.
    sub: z.string().min(1).optional(),
    // The token's `email` (exact, case-insensitive); `email_verified: false` never matches.
    email: z.string().min(3).optional(),
    // The local identity: a configured client acting as a service account …
    service_account: z.string().min(1).optional(),
    // … or an account, by its email.
    account_email: z.string().min(3).optional(),
    // Resource servers tokens for this subject may be issued for (also capped by the client's).
    audiences: z.array(z.url()).min(1),
    // Scopes such tokens may carry (also capped by the client's `resources`).
    scopes: z.array(scopeToken).default([]),
  })
  .refine((r) => (r.sub === undefined) !== (r.email === undefined), 'give exactly one of sub, email')
  .refine((r) => (r.service_account === undefined) !== (r.account_email === undefined), 'give exactly one of service_account, account_email');

/** An external issuer whose JWTs can be exchanged (a CI system's workload identity, say). */
export const trustedIssuerSchema = z
  .strictObject({
    // How clients' token_exchange.trusted_issuers refer to it.
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
    // Must equal the tokens' `iss` exactly.
    issuer: z.url(),
    // Keys from a URL (cached; refetched at most every 30 s when an unknown kid shows up) …
    jwks_uri: z.url().optional(),
    // … or inline (YAML, or a JSON string from the environment).
    jwks: inlineJwksSchema.optional(),
    // The token's `aud` must contain one of these (what the CI job asked its issuer for).
    audiences: z.array(z.string().min(1)).min(1),
    // Accepted signature algorithms; asymmetric only.
    algorithms: z.array(z.enum(ASYMMETRIC_JWS_ALGORITHMS)).min(1).default(['RS256', 'ES256']),
    // Which subjects are accepted and whom they act as; any other subject is refused.
    subjects: z.array(externalSubjectRuleSchema).min(1),
  })
  .refine((t) => (t.jwks_uri === undefined) !== (t.jwks === undefined), 'give exactly one of jwks_uri, jwks')
  .refine((t) => t.jwks_uri === undefined || isSafeJwksUri(t.jwks_uri), {
    message: 'jwks_uri must be https (http only for localhost / 127.0.0.1)',
    path: ['jwks_uri'],
  });
export type TrustedIssuerConfig = z.infer<typeof trustedIssuerSchema>;
export type ExternalSubjectRuleConfig = TrustedIssuerConfig['subjects'][number];

function isSafeJwksUri(uri: string): boolean {
  const url = new URL(uri);
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** PPID conversion API: who may translate whose pairwise identifiers into their own. */
export const ppidConversionSchema = z.strictObject({
  // The resource server that stands for the conversion API: callers present a client_credentials
  // access token for it carrying `scope`.
  resource: z.url(),
  scope: scopeToken.default('ppid:convert'),
  // caller (client_id) may convert subjects of each source (client_id or resource server
  // identifier) into its own. Nothing else is allowed.
  permissions: z.array(z.strictObject({ caller: z.string().min(1), sources: z.array(z.string().min(1)).min(1) })).default([]),
});
export type PpidConversionConfig = z.infer<typeof ppidConversionSchema>;
