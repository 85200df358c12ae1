import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

/**
 * The public key in a DPoP proof's header and the check of the proof's signature with it. Rules:
 * 1. `jwk` is a JSON object without private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`);
 *    `use` is `sig` and `alg` is the header's when present;
 * 2. the key fits the algorithm: EC on the algorithm's curve, RSA of at least 2048 bits, Ed25519
 *    for EdDSA/Ed25519 (an ES256 proof by a P-384 key is refused);
 * 3. the signature is checked by node:crypto in one synchronous call (ECDSA signatures in the
 *    JWS r‖s form, PSS with a salt as long as the hash).
 *
 * Not jose's jwtVerify: it goes through WebCrypto, whose thread-pool round trip cost ~3× the CPU
 * of this one call (measured for ES256: ~375 vs ~128 µs on the shared host), and a proof is
 * verified on every request. Parsing stays with jose.
 */

export type ProofKey = { key: KeyObject; jkt: string };

export class InvalidProofKey extends Error {}

type Expectation = { hash: string | null; type: string; curve?: string; pss?: true };

const BY_ALG: Record<string, Expectation> = {
  ES256: { hash: 'sha256', type: 'ec', curve: 'prime256v1' },
  ES384: { hash: 'sha384', type: 'ec', curve: 'secp384r1' },
  ES512: { hash: 'sha512', type: 'ec', curve: 'secp521r1' },
  RS256: { hash: 'sha256', type: 'rsa' },
  RS384: { hash: 'sha384', type: 'rsa' },
  RS512: { hash: 'sha512', type: 'rsa' },
  PS256: { hash: 'sha256', type: 'rsa', pss: true },
  PS384: { hash: 'sha384', type: 'rsa', pss: true },
  PS512: { hash: 'sha512', type: 'rsa', pss: true },
  EdDSA: { hash: null, type: 'ed25519' },
  Ed25519: { hash: null, type: 'ed25519' },
};

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The proof key for `alg`, and its RFC 7638 thumbprint; throws InvalidProofKey. */
export async function importProofKey(jwk: unknown, alg: string): Promise<ProofKey> {
  const expected = BY_ALG[alg];
  if (!expected || typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new InvalidProofKey();
  const candidate = jwk as JWK;
  if (PRIVATE_MEMBERS.some((m) => m in candidate)) throw new InvalidProofKey();
  if ((candidate.use !== undefined && candidate.use !== 'sig') || (candidate.alg !== undefined && candidate.alg !== alg)) throw new InvalidProofKey();
  let key: KeyObject;
  try {
    key = createPublicKey({ key: candidate as JsonWebKey, format: 'jwk' });
  } catch {
    throw new InvalidProofKey();
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType !== expected.type) throw new InvalidProofKey();
  if (expected.curve && details.namedCurve !== expected.curve) throw new InvalidProofKey();
  if (expected.type === 'rsa' && (details.modulusLength ?? 0) < 2048) throw new InvalidProofKey();
  return { key, jkt: await calculateJwkThumbprint(candidate, 'sha256') };
}

/** Whether `signature` (base64url) signs `signingInput` (`header.payload`) with `key` for `alg`. */
export function verifyProofSignature(alg: string, key: KeyObject, signingInput: string, signature: string): boolean {
  const expected = BY_ALG[alg];
  if (!expected) return false;
  const options = expected.pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { key, dsaEncoding: 'ieee-p1363' as const };
  try {
    return verify(expected.hash, Buffer.from(signingInput), options, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
