import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createVerifiedTokenMemo } from '../../resource-server/verified-token-memo';

/**
 * Verifies JWTs we issued (access tokens, ID tokens) against our published keys. Rules:
 * 1. our issuer, our algorithms (ES256, RS256, PS256, EdDSA), `exp` and `iat` present and valid (10 s leeway);
 * 2. access tokens: `typ: at+jwt` (RFC 9068), with `sub`, `client_id`, `aud`;
 * 3. ID tokens: no `typ` or `JWT`, with `sub` and `aud`; logout tokens (`events`) and signed
 *    introspection responses are not ID tokens;
 * 4. keys are the signing_keys table's published set, reloaded every 5 minutes, and at once
 *    (at most every 10 s) when a token names a kid we do not know (a rotation elsewhere);
 * 5. a token that verified is remembered (exact string, ≤ 60 s, never past `exp`): a service
 *    exchanging the same user token for several audiences pays one signature check.
 */

const ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 10;
const MAX_KEYS_AGE_MS = 5 * 60_000;
const MIN_RELOAD_INTERVAL_MS = 10_000;
const MEMO = { size: 10_000, maxAgeMs: 60_000 };

export type KeysLoader = () => Promise<JSONWebKeySet>;

export class OwnTokenVerifier {
  private keys: { set: ReturnType<typeof createLocalJWKSet>; loadedAt: number } | undefined;
  private loading: Promise<void> | undefined;
  private readonly getKey: JWTVerifyGetKey;
  private readonly accessTokens = createVerifiedTokenMemo<JWTPayload>(MEMO);
  private readonly idTokens = createVerifiedTokenMemo<JWTPayload>(MEMO);

  constructor(
    readonly issuer: string,
    private readonly loadKeys: KeysLoader,
  ) {
    this.getKey = async (header, token) => {
      const set = await this.currentKeys();
      try {
        return await set(header, token);
      } catch (e) {
        if (!(e instanceof joseErrors.JWKSNoMatchingKey) || !this.keys || Date.now() - this.keys.loadedAt < MIN_RELOAD_INTERVAL_MS) throw e;
        await this.reload();
        return (await this.currentKeys())(header, token);
      }
    };
  }

  private reload(): Promise<void> {
    this.loading ??= this.loadKeys()
      .then((jwks) => {
        this.keys = { set: createLocalJWKSet(jwks), loadedAt: Date.now() };
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private async currentKeys(): Promise<ReturnType<typeof createLocalJWKSet>> {
    if (!this.keys) await this.reload();
    else if (Date.now() - this.keys.loadedAt > MAX_KEYS_AGE_MS) void this.reload().catch(() => undefined);
    return this.keys!.set;
  }

  /** Throws (jose errors) unless `jwt` is one of our valid access tokens. */
  async verifyAccessToken(jwt: string): Promise<JWTPayload> {
    const remembered = this.accessTokens.get(jwt, Date.now());
    if (remembered) return structuredClone(remembered);
    const { payload } = await jwtVerify(jwt, this.getKey, {
      issuer: this.issuer,
      algorithms: ALGORITHMS,
      typ: 'at+jwt',
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub', 'aud', 'client_id'],
    });
    this.accessTokens.set(jwt, structuredClone(payload), payload.exp!, Date.now());
    return payload;
  }

  /** Throws unless `jwt` is one of our valid ID tokens. */
  async verifyIdToken(jwt: string): Promise<JWTPayload> {
    const remembered = this.idTokens.get(jwt, Date.now());
    if (remembered) return structuredClone(remembered);
    const typ = decodeProtectedHeader(jwt).typ;
    if (typ !== undefined && typ.toUpperCase() !== 'JWT') throw new joseErrors.JWTClaimValidationFailed('not an ID token', {}, 'typ', 'check_failed');
    const { payload } = await jwtVerify(jwt, this.getKey, {
      issuer: this.issuer,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub', 'aud'],
    });
    if ('events' in payload || 'token_introspection' in payload) {
      throw new joseErrors.JWTClaimValidationFailed('not an ID token', payload, 'events', 'check_failed');
    }
    this.idTokens.set(jwt, structuredClone(payload), payload.exp!, Date.now());
    return payload;
  }
}

/** True when the JWT's header says it is an access token (RFC 9068 `typ`). */
export function looksLikeAccessToken(jwt: string): boolean {
  try {
    const typ = decodeProtectedHeader(jwt).typ?.toLowerCase();
    return typ === 'at+jwt' || typ === 'application/at+jwt';
  } catch {
    return false;
  }
}
