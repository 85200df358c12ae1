/**
 * The signing keys as oidc-provider and our verifiers use them: an RSA key drops its `alg`
 * (RS256 when generated) so the same key signs and verifies both RS256 and PS256; EC and OKP keys
 * keep theirs (one algorithm each).
 */
export function providerSigningJwks<K extends { kty?: string; alg?: string }>(keys: readonly K[]): K[] {
  return keys.map((key) => {
    if (key.kty !== 'RSA') return key;
    const withoutAlg = { ...key };
    delete withoutAlg.alg;
    return withoutAlg;
  });
}
