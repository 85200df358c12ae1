import { createHash, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * ES256 JWTs signed synchronously with node:crypto, for the load generator: autocannon's
 * `setupRequest` is synchronous, and every DPoP proof (and every private_key_jwt assertion) must
 * be fresh (its own `jti`). Bench-only: the server never signs this way.
 */
export type SyncEs256Key = {
  /** The public key as a JWK (for a DPoP proof's header, or a client's `jwks`). */
  publicJwk: JsonWebKey;
  /** RFC 7638 thumbprint of `publicJwk` (the `cnf.jkt` of tokens bound to this key). */
  jkt: string;
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): string;
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function createSyncEs256Key(privateKey?: KeyObject): SyncEs256Key {
  const key = privateKey ?? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const { crv, kty, x, y } = key.export({ format: 'jwk' });
  const publicJwk = { crv, kty, x, y };
  const jkt = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  return {
    publicJwk,
    jkt,
    sign(header, payload) {
      const input = `${b64({ alg: 'ES256', ...header })}.${b64(payload)}`;
      return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    },
  };
}

/** A DPoP proof (RFC 9449 §4.2) for one request; `accessToken` adds `ath` (resource requests). */
export function dpopProof(key: SyncEs256Key, htm: string, htu: string, accessToken?: string): string {
  const claims: Record<string, unknown> = { htm, htu, iat: Math.floor(Date.now() / 1000), jti: randomUUID() };
  if (accessToken) claims.ath = createHash('sha256').update(accessToken).digest('base64url');
  return key.sign({ typ: 'dpop+jwt', jwk: key.publicJwk }, claims);
}

/** A private_key_jwt client assertion (RFC 7523 §2.2) for `audience` (the issuer or its token endpoint). */
export function clientAssertion(key: SyncEs256Key, kid: string, clientId: string, audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  return key.sign({ kid, typ: 'JWT' }, { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: randomUUID() });
}
