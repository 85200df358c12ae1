import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { deny, type Denial } from './denial';
import { createVerifiedTokenMemo } from './verified-token-memo';

/**
 * Verifies an RFC 9068 JWT access token. Rules:
 * 1. the signature verifies with a key of the issuer's JWKS (fetched once, cached, fetched
 *    again when a token names an unknown `kid`, at most once per cooldown);
 * 2. only asymmetric algorithms: `none` and HMAC (e.g. HS256 "signed" with a public key) are refused;
 * 3. the header `typ` is `at+jwt` (an ID token or another JWT is not an access token);
 * 4. `iss` is the issuer, `aud` contains this resource server, `exp` has not passed (with a
 *    small clock tolerance), and `exp`, `iat`, `sub`, `client_id` are present;
 * 5. a sender-constrained token is accepted only when bound to a DPoP key (`cnf` is exactly
 *    `{ jkt }`, RFC 9449 §6); its `jkt` is returned for the guard to check the request's proof.
 *    Other bindings (mTLS `x5t#S256`, …) are refused: this server cannot check them;
 * 6. a token that verified is remembered (the exact string, at most `verifiedCacheMaxAgeMs` and
 *    never past its `exp`), so a client calling again with the same token costs a map lookup
 *    instead of a signature check; failures are never remembered.
 */

/** Asymmetric JWS algorithms (RFC 7518, RFC 8037). */
export const ASYMMETRIC_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'] as const;

export type AccessTokenVerifierOptions = {
  issuer: string;
  audience: string;
  /** The issuer's JWKS URL (e.g. `https://id.example.com/oidc/jwks`) … */
  jwksUri?: string | URL;
  /** … or the keys themselves. */
  jwks?: JSONWebKeySet;
  /** Subset of ASYMMETRIC_ALGORITHMS; default all of them. */
  algorithms?: readonly string[];
  clockToleranceSeconds?: number;
  /** Minimum time between two JWKS fetches caused by unknown `kid`s (default 30 s). */
  jwksCooldownMs?: number;
  /** Keys are refetched after this long even without an unknown `kid` (default 10 min). */
  jwksCacheMaxAgeMs?: number;
  jwksTimeoutMs?: number;
  /** Verified tokens remembered at once (default 10 000; 0 turns the cache off). */
  verifiedCacheSize?: number;
  /** How long a verified token is remembered, at most (default 60 s): bounds how late a key removed from the JWKS stops counting. */
  verifiedCacheMaxAgeMs?: number;
  /** The clock, for tests. */
  now?: () => Date;
};

export type VerifiedAccessToken = {
  sub: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  /** `country_region_code`: the user's region; absent on tokens without a user. */
  region: string | undefined;
  acr: string | undefined;
  /** Seconds since the epoch. */
  authTime: number | undefined;
  expiresAt: number;
  /** `cnf.jkt`: the RFC 7638 thumbprint of the DPoP key the token is bound to; absent on bearer tokens. */
  jkt: string | undefined;
  claims: JWTPayload;
};

export type VerifyResult = { ok: true; token: VerifiedAccessToken } | Denial;

function keySource(options: AccessTokenVerifierOptions): JWTVerifyGetKey {
  if (options.jwks && options.jwksUri) throw new Error('give either jwks or jwksUri, not both');
  if (options.jwks) return createLocalJWKSet(options.jwks);
  if (!options.jwksUri) throw new Error('jwksUri or jwks is required');
  return createRemoteJWKSet(new URL(options.jwksUri), {
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
    timeoutDuration: options.jwksTimeoutMs ?? 5_000,
  });
}

function optionalString(payload: JWTPayload, name: string): string | undefined {
  const v = payload[name];
  return typeof v === 'string' ? v : undefined;
}

/** `cnf` absent → undefined; `{ jkt: "…" }` → the thumbprint; any other binding → null (refused). */
function dpopThumbprint(cnf: unknown): string | undefined | null {
  if (cnf === undefined) return undefined;
  if (typeof cnf !== 'object' || cnf === null) return null;
  const { jkt, ...other } = cnf as Record<string, unknown>;
  return typeof jkt === 'string' && jkt.length > 0 && Object.keys(other).length === 0 ? jkt : null;
}

/** Maps a verification failure onto the answer the client gets. */
function denialFor(e: unknown, realm: string): Denial {
  const invalid = (description: string) => deny('invalid_token', description, realm);
  if (e instanceof errors.JWTExpired) return invalid('the access token expired');
  if (e instanceof errors.JWTClaimValidationFailed) {
    switch (e.claim) {
      case 'aud':
        return invalid('the access token is not for this resource server');
      case 'iss':
        return invalid('the access token is from another issuer');
      case 'typ':
        return invalid('not an access token (typ must be at+jwt)');
      case 'nbf':
        return invalid('the access token is not valid yet');
      default:
        return invalid(e.reason === 'missing' ? `the access token has no ${e.claim} claim` : `the access token has an invalid ${e.claim} claim`);
    }
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return invalid('the signing algorithm is not allowed');
  if (e instanceof errors.JWKSNoMatchingKey) return invalid('the access token was signed with an unknown key');
  if (e instanceof errors.JWSSignatureVerificationFailed) return invalid('the signature does not verify');
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || !(e instanceof errors.JOSEError) || e.code === 'ERR_JOSE_GENERIC') {
    // Not the token's fault: the issuer's keys could not be fetched. Clients retry later.
    return deny('temporarily_unavailable', 'the issuer signing keys are unavailable', realm);
  }
  return invalid('the access token is malformed');
}

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions & { realm: string }) {
  const algorithms = [...(options.algorithms ?? ASYMMETRIC_ALGORITHMS)];
  const symmetric = algorithms.filter((a) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a));
  if (symmetric.length > 0) throw new Error(`only asymmetric algorithms may be allowed (got ${symmetric.join(', ')})`);
  const keys = keySource(options);
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  const cacheSize = options.verifiedCacheSize ?? 10_000;
  const cacheMaxAgeMs = options.verifiedCacheMaxAgeMs ?? 60_000;
  const verified = createVerifiedTokenMemo<VerifiedAccessToken>({ size: cacheSize, maxAgeMs: cacheMaxAgeMs });

  return async function verifyAccessToken(jwt: string): Promise<VerifyResult> {
    const nowMs = options.now?.().getTime() ?? Date.now();
    const remembered = verified.get(jwt, nowMs);
    if (remembered) return { ok: true, token: remembered };
    const result = await verifyUncached(jwt);
    if (result.ok) verified.set(jwt, result.token, result.token.expiresAt, nowMs);
    return result;
  };

  async function verifyUncached(jwt: string): Promise<VerifyResult> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        typ: 'at+jwt',
        clockTolerance,
        currentDate: options.now?.(),
        requiredClaims: ['exp', 'iat', 'sub', 'client_id'],
      }));
    } catch (e) {
      return denialFor(e, options.realm);
    }
    const clientId = payload.client_id;
    const scope = payload.scope;
    if (typeof clientId !== 'string' || (scope !== undefined && typeof scope !== 'string')) {
      return deny('invalid_token', 'the access token has an invalid client_id or scope claim', options.realm);
    }
    const jkt = dpopThumbprint(payload.cnf);
    if (jkt === null) return deny('invalid_token', 'sender-constrained access tokens of this kind are not accepted here', options.realm);
    return {
      ok: true,
      token: {
        sub: payload.sub!,
        clientId,
        scopes: new Set((scope ?? '').split(' ').filter(Boolean)),
        region: optionalString(payload, 'country_region_code'),
        acr: optionalString(payload, 'acr'),
        authTime: typeof payload.auth_time === 'number' ? payload.auth_time : undefined,
        expiresAt: payload.exp!,
        jkt,
        claims: payload,
      },
    };
  }
}
