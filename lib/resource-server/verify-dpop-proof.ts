import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { importProofKey, InvalidProofKey, verifyProofSignature, type ProofKey } from './dpop-proof-key';
import type { DpopReplayCache } from './dpop-replay-cache';
import { createVerifiedTokenMemo } from './verified-token-memo';

/**
 * Verifies the DPoP proof (RFC 9449 §4.3, §7.1) that comes with a DPoP-bound access token.
 * Rules, in order; the first that fails answers:
 * 1. exactly one proof, a compact JWS — else invalid_dpop_proof;
 * 2. header `typ: dpop+jwt`, `alg` in the allow-list (asymmetric only), no `crit`, `jwk` a
 *    public key fit for `alg` (dpop-proof-key.ts) — else invalid_dpop_proof. A client signs
 *    every proof with the same key and header: a header that passed is remembered (by its
 *    exact encoded form) with the imported key and its thumbprint, so a proof costs one
 *    signature check, not a header parse, a key import and a hash;
 * 3. the signature verifies with that `jwk`, and the payload is a JSON object — else invalid_dpop_proof;
 * 4. `htm` is the request method; `htu` is the request URL, both without query and fragment and
 *    normalized (scheme and host case, default port, dot segments, percent-encoding of
 *    unreserved characters) — else invalid_dpop_proof;
 * 5. `iat` within ±`maxAgeSeconds` (+ `clockToleranceSeconds`) of now — else invalid_dpop_proof;
 * 6. `ath` is base64url(SHA-256(access token)) — else invalid_dpop_proof;
 * 7. the key's RFC 7638 thumbprint is the token's `cnf.jkt` — else invalid_token (the token is
 *    not this key's, whatever the proof);
 * 8. `jti` not seen before (a string of at most 256 characters, remembered until the `iat`
 *    window closes) — else invalid_dpop_proof. Checked last, so only proofs that passed
 *    everything else take room in the cache.
 */

/** Algorithms a proof may use: asymmetric only (RFC 9449 §4.2). */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519'] as const;

export type DpopProofOptions = {
  /** Subset of DPOP_ALGORITHMS (default all of them); also sent as `algs` in challenges. */
  algorithms: readonly string[];
  /** How far `iat` may be from now, either way (default 60 s). */
  maxAgeSeconds?: number;
  /** Added to the window for clock skew (default 5 s). */
  clockToleranceSeconds?: number;
  replayCache: DpopReplayCache;
  now?: () => Date;
};

export type DpopProofInput = {
  /** The `DPoP` request header (null when absent). */
  proof: string | null | undefined;
  method: string;
  /** The URL the client called, as it sees it (scheme, host, port, path). */
  url: string;
  accessToken: string;
  /** The token's `cnf.jkt`. */
  jkt: string;
};

export type DpopProofResult = { ok: true } | { ok: false; error: 'invalid_dpop_proof' | 'invalid_token'; description: string };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** RFC 3986 §6.2.2–6.2.3 via WHATWG URL, plus decoding of percent-encoded unreserved characters; no query or fragment. */
export function normalizeHtu(value: string): string | undefined {
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  const path = url.pathname.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
  return `${url.origin}${path}`;
}

type CheckedHeader = { alg: string; proofKey: ProofKey };

/** Clients usually sign the exact URL they call: equal strings skip the two URL parses. */
function sameUrl(htu: unknown, url: string): boolean {
  if (typeof htu !== 'string') return false;
  if (htu === url) return true;
  const normalized = normalizeHtu(htu);
  return normalized !== undefined && normalized === normalizeHtu(url);
}

export function createDpopProofVerifier(options: DpopProofOptions) {
  const algorithms = [...options.algorithms];
  const unknown = algorithms.filter((a) => !(DPOP_ALGORITHMS as readonly string[]).includes(a));
  if (unknown.length > 0 || algorithms.length === 0) throw new Error(`DPoP algorithms must be a non-empty subset of ${DPOP_ALGORITHMS.join(', ')} (got ${algorithms.join(', ')})`);
  const windowSeconds = (options.maxAgeSeconds ?? 60) + (options.clockToleranceSeconds ?? 5);
  const invalidProof = (description: string): DpopProofResult => ({ ok: false, error: 'invalid_dpop_proof', description });
  // A client's proofs share one header (alg, typ, jwk): its checks and imported key are
  // remembered by the header's exact encoded form, so a proof costs one signature check.
  const checkedHeaders = createVerifiedTokenMemo<CheckedHeader>({ size: 10_000, maxAgeMs: 3_600_000 });

  /** Rule 2 for the proof's header; a refusal's description, or the header's alg and key. */
  async function checkHeader(proof: string, nowMs: number): Promise<CheckedHeader | string> {
    const segment = proof.slice(0, proof.indexOf('.'));
    const known = checkedHeaders.get(segment, nowMs);
    if (known) return known;
    const header = decodeProtectedHeader(proof);
    if (header.typ !== 'dpop+jwt') return 'the DPoP proof must have typ dpop+jwt';
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) return `the DPoP proof algorithm is not allowed (allowed: ${algorithms.join(' ')})`;
    if (header.crit !== undefined || header.b64 !== undefined) return 'the DPoP proof is malformed';
    const checked = { alg: header.alg, proofKey: await importProofKey(header.jwk, header.alg) };
    checkedHeaders.set(segment, checked, Infinity, nowMs);
    return checked;
  }

  return async function verifyDpopProof(input: DpopProofInput): Promise<DpopProofResult> {
    const { proof } = input;
    if (!proof) return invalidProof('a DPoP proof is required with a DPoP-bound access token');
    if (proof.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(proof)) return invalidProof('the DPoP header must hold exactly one proof JWT');

    const nowMs = options.now?.().getTime() ?? Date.now();
    let payload: JWTPayload;
    let holder: ProofKey;
    try {
      const header = await checkHeader(proof, nowMs);
      if (typeof header === 'string') return invalidProof(header);
      holder = header.proofKey;
      const cut = proof.lastIndexOf('.');
      if (!verifyProofSignature(header.alg, holder.key, proof.slice(0, cut), proof.slice(cut + 1))) return invalidProof('the DPoP proof signature does not verify');
      payload = decodeJwt(proof);
    } catch (e) {
      if (e instanceof InvalidProofKey) return invalidProof('the DPoP proof must carry its public key as jwk');
      return invalidProof('the DPoP proof is malformed');
    }

    if (payload.htm !== input.method) return invalidProof('the DPoP proof is for another HTTP method (htm)');
    if (!sameUrl(payload.htu, input.url)) return invalidProof('the DPoP proof is for another URL (htu)');
    if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) return invalidProof('the DPoP proof has no iat');
    if (Math.abs(nowMs / 1000 - payload.iat) > windowSeconds) return invalidProof('the DPoP proof is too old or from the future (iat)');
    if (typeof payload.ath !== 'string' || payload.ath !== createHash('sha256').update(input.accessToken).digest('base64url')) {
      return invalidProof('the DPoP proof is for another access token (ath)');
    }
    if (holder.jkt !== input.jkt) {
      return { ok: false, error: 'invalid_token', description: 'the access token is bound to another DPoP key (cnf.jkt)' };
    }
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > MAX_JTI_LENGTH) return invalidProof('the DPoP proof has no valid jti');
    const fresh = await options.replayCache.remember(`${input.jkt}:${payload.jti}`, (payload.iat + windowSeconds) * 1000, nowMs);
    if (!fresh) return invalidProof('the DPoP proof was already used (jti)');
    return { ok: true };
  };
}
