import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryReplayCache } from './dpop-replay-cache';
import { createDpopProofVerifier, DPOP_ALGORITHMS, normalizeHtu, type DpopProofInput } from './verify-dpop-proof';

const URL_ = 'https://api.example.com/items';
const ACCESS_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl';
const ath = (token: string) => createHash('sha256').update(token).digest('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

type Holder = { privateKey: CryptoKey; jwk: JWK; jkt: string; alg: string };

async function holder(alg: 'ES256' | 'EdDSA' | 'PS256' = 'ES256'): Promise<Holder> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, 'sha256'), alg };
}

let counter = 0;
/** A proof as a client builds it (RFC 9449 §4.2); `claims`/`header` override. */
function proof(h: Holder, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  return new SignJWT({ htm: 'GET', htu: URL_, iat: nowS(), jti: `jti-${counter}-${Math.random()}`, ath: ath(ACCESS_TOKEN), ...claims })
    .setProtectedHeader({ alg: h.alg, typ: 'dpop+jwt', jwk: h.jwk, ...header })
    .sign(h.privateKey);
}

function verifier(extra: Partial<Parameters<typeof createDpopProofVerifier>[0]> = {}) {
  return createDpopProofVerifier({ algorithms: DPOP_ALGORITHMS, replayCache: createMemoryReplayCache(), ...extra });
}

const input = (h: Holder, p: string, extra: Partial<DpopProofInput> = {}): DpopProofInput => ({ proof: p, method: 'GET', url: URL_, accessToken: ACCESS_TOKEN, jkt: h.jkt, ...extra });
const refusal = (error: string, description: string) => ({ ok: false, error, description });

let es: Holder;
let other: Holder;

beforeAll(async () => {
  [es, other] = await Promise.all([holder('ES256'), holder('ES256')]);
});

describe('DPoP proof: accepted', () => {
  it('a fresh proof from the bound key (ES256, EdDSA, PS256)', async () => {
    const verify = verifier();
    for (const alg of ['ES256', 'EdDSA', 'PS256'] as const) {
      const h = await holder(alg);
      expect(await verify(input(h, await proof(h)))).toEqual({ ok: true });
    }
  });

  it('htu compared without query and fragment, normalized (case of scheme and host, default port, dot segments, %7E)', async () => {
    const verify = verifier();
    const url = 'https://api.example.com/a/~b';
    for (const htu of ['HTTPS://API.example.com:443/a/~b?x=1#f', 'https://api.example.com/a/./c/../%7Eb', 'https://api.example.com/a/%7eb']) {
      expect(await verify(input(es, await proof(es, { htu }), { url })), htu).toEqual({ ok: true });
    }
    expect(normalizeHtu('https://api.example.com/a%2fb')).toBe('https://api.example.com/a%2Fb');
  });

  it('iat up to the window away, either way (±60 s + 5 s leeway by default)', async () => {
    const verify = verifier();
    expect(await verify(input(es, await proof(es, { iat: nowS() - 64 })))).toEqual({ ok: true });
    expect(await verify(input(es, await proof(es, { iat: nowS() + 64 })))).toEqual({ ok: true });
  });
});

describe('DPoP proof: refused', () => {
  it('the same proof twice (replayed jti) → invalid_dpop_proof', async () => {
    const verify = verifier();
    const p = await proof(es);
    expect(await verify(input(es, p))).toEqual({ ok: true });
    expect(await verify(input(es, p))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof was already used (jti)'));
    // A new proof reusing the jti is a replay too.
    const { jti } = JSON.parse(Buffer.from(p.split('.')[1]!, 'base64url').toString()) as { jti: string };
    expect(await verify(input(es, await proof(es, { jti })))).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('wrong htm → invalid_dpop_proof', async () => {
    expect(await verifier()(input(es, await proof(es, { htm: 'POST' })))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof is for another HTTP method (htm)'));
    expect(await verifier()(input(es, await proof(es, { htm: 'get' })))).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('wrong htu (another path, host, scheme or port; not a URL) → invalid_dpop_proof', async () => {
    const verify = verifier();
    for (const htu of ['https://api.example.com/items/1', 'https://evil.example.com/items', 'http://api.example.com/items', 'https://api.example.com:8443/items', 'items', 42]) {
      expect(await verify(input(es, await proof(es, { htu }))), String(htu)).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof is for another URL (htu)'));
    }
  });

  it('stale or future iat, or none → invalid_dpop_proof', async () => {
    const verify = verifier();
    const stale = refusal('invalid_dpop_proof', 'the DPoP proof is too old or from the future (iat)');
    expect(await verify(input(es, await proof(es, { iat: nowS() - 120 })))).toEqual(stale);
    expect(await verify(input(es, await proof(es, { iat: nowS() + 120 })))).toEqual(stale);
    expect(await verify(input(es, await proof(es, { iat: undefined })))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof has no iat'));
    // The clock is the guard's: a proof from "now" is stale for a server 10 minutes ahead.
    const ahead = verifier({ now: () => new Date(Date.now() + 600_000) });
    expect(await ahead(input(es, await proof(es)))).toEqual(stale);
  });

  it('wrong or missing ath → invalid_dpop_proof', async () => {
    const other = refusal('invalid_dpop_proof', 'the DPoP proof is for another access token (ath)');
    expect(await verifier()(input(es, await proof(es, { ath: ath('another.access.token') })))).toEqual(other);
    expect(await verifier()(input(es, await proof(es, { ath: undefined })))).toEqual(other);
  });

  it('a proof by another key than the token is bound to (mismatched jkt) → invalid_token', async () => {
    expect(await verifier()(input(es, await proof(other)))).toEqual(refusal('invalid_token', 'the access token is bound to another DPoP key (cnf.jkt)'));
  });

  it('a signature by another key than the jwk in the header → invalid_dpop_proof', async () => {
    const forged = await new SignJWT({ htm: 'GET', htu: URL_, iat: nowS(), jti: 'forged', ath: ath(ACCESS_TOKEN) })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: es.jwk })
      .sign(other.privateKey);
    const verify = verifier();
    // The same header as the client's genuine proofs, already seen and remembered: the signature is still checked.
    expect(await verify(input(es, await proof(es)))).toEqual({ ok: true });
    expect(forged.split('.')[0]).toBe((await proof(es)).split('.')[0]);
    expect(await verify(input(es, forged))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof signature does not verify'));
  });

  it('wrong typ, alg none, HS256, a disallowed alg → invalid_dpop_proof', async () => {
    const verify = verifier();
    expect(await verify(input(es, await proof(es, {}, { typ: 'JWT' })))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof must have typ dpop+jwt'));
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { htm: 'GET', htu: URL_, iat: nowS(), jti: 'x', ath: ath(ACCESS_TOKEN) };
    const unsigned = `${b64({ alg: 'none', typ: 'dpop+jwt', jwk: es.jwk })}.${b64(claims)}.c2ln`;
    expect(await verify(input(es, unsigned))).toMatchObject({ error: 'invalid_dpop_proof' });
    const hsInput = `${b64({ alg: 'HS256', typ: 'dpop+jwt', jwk: es.jwk })}.${b64(claims)}`;
    const hs = `${hsInput}.${createHmac('sha256', JSON.stringify(es.jwk)).update(hsInput).digest('base64url')}`;
    expect(await verify(input(es, hs))).toEqual(refusal('invalid_dpop_proof', `the DPoP proof algorithm is not allowed (allowed: ${DPOP_ALGORITHMS.join(' ')})`));
    const onlyEd = verifier({ algorithms: ['EdDSA'] });
    expect(await onlyEd(input(es, await proof(es)))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof algorithm is not allowed (allowed: EdDSA)'));
  });

  it('no jwk, or a private jwk, in the header → invalid_dpop_proof', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const verify = verifier();
    expect(await verify(input(es, await proof(es, {}, { jwk: undefined })))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof must carry its public key as jwk'));
    const withPrivate = await new SignJWT({ htm: 'GET', htu: URL_, iat: nowS(), jti: 'p', ath: ath(ACCESS_TOKEN) })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
      .sign(privateKey);
    expect(await verify(input(es, withPrivate))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof must carry its public key as jwk'));
  });

  it('a key that does not fit the alg (ES256 signed by a P-384 key, RSA under 2048 bits) → invalid_dpop_proof', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { htm: 'GET', htu: URL_, iat: nowS(), jti: 'k', ath: ath(ACCESS_TOKEN) };
    const selfSigned = (alg: string, type: 'ec' | 'rsa', options: object, hash: string, dsa: object) => {
      const { privateKey, publicKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
      const jwk = publicKey.export({ format: 'jwk' });
      const input = `${b64({ alg, typ: 'dpop+jwt', jwk })}.${b64(claims)}`;
      return `${input}.${sign(hash, Buffer.from(input), { key: privateKey, ...dsa }).toString('base64url')}`;
    };
    const verify = verifier();
    const p384 = selfSigned('ES256', 'ec', { namedCurve: 'secp384r1' }, 'sha256', { dsaEncoding: 'ieee-p1363' });
    expect(await verify(input(es, p384))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof must carry its public key as jwk'));
    const rsa1024 = selfSigned('RS256', 'rsa', { modulusLength: 1024 }, 'sha256', {});
    expect(await verify(input(es, rsa1024))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof must carry its public key as jwk'));
  });

  it('no proof, two proofs in one header, garbage, no jti → invalid_dpop_proof', async () => {
    const verify = verifier();
    expect(await verify(input(es, ''))).toEqual(refusal('invalid_dpop_proof', 'a DPoP proof is required with a DPoP-bound access token'));
    const [a, b] = [await proof(es), await proof(es)];
    expect(await verify(input(es, `${a}, ${b}`))).toEqual(refusal('invalid_dpop_proof', 'the DPoP header must hold exactly one proof JWT'));
    expect(await verify(input(es, 'a.b.c'))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof is malformed'));
    expect(await verify(input(es, await proof(es, { jti: undefined })))).toEqual(refusal('invalid_dpop_proof', 'the DPoP proof has no valid jti'));
    expect(await verify(input(es, await proof(es, { jti: 'x'.repeat(257) })))).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses to be configured with a symmetric or unknown algorithm', () => {
    expect(() => verifier({ algorithms: ['ES256', 'HS256'] })).toThrow(/subset/);
    expect(() => verifier({ algorithms: [] })).toThrow(/non-empty/);
  });
});
