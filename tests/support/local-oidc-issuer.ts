/**
 * A small external OIDC issuer for tests: a CI system's workload identity in miniature. It
 * serves discovery and a JWKS on 127.0.0.1 and signs ID-token-shaped JWTs with its own keys
 * (ES256 and RS256), so token exchange can be tested against a real remote JWKS.
 *
 * The server runs where it is started (the integration global setup); test files get a
 * serializable descriptor (issuer, JWKS URL, private keys) and sign with `signIssuerToken`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export type LocalIssuerDescriptor = {
  issuer: string;
  jwksUri: string;
  /** Private JWKs (with kid and alg) whose public halves the JWKS publishes. */
  keys: { ES256: JWK; RS256: JWK };
};

export type LocalIssuer = { descriptor: LocalIssuerDescriptor; stop(): Promise<void> };

/** The audience CI jobs ask for in idp.config.yaml's default (CI_OIDC_AUDIENCE). */
export const CI_AUDIENCE = 'meridian-id';

export async function generateSigningJwk(alg: 'ES256' | 'RS256', kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi']);

function publicPart(jwk: JWK): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.has(k))) as JWK;
}

export async function startLocalIssuer(): Promise<LocalIssuer> {
  const keys = { ES256: await generateSigningJwk('ES256'), RS256: await generateSigningJwk('RS256') };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') return send(200, { issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['ES256', 'RS256'] });
    if (req.url === '/jwks') return send(200, { keys: [publicPart(keys.ES256), publicPart(keys.RS256)] });
    return send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  issuer = `http://127.0.0.1:${port}`;
  return {
    descriptor: { issuer, jwksUri: `${issuer}/jwks`, keys },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SignOptions = {
  alg?: 'ES256' | 'RS256';
  /** Sign with this key instead (e.g. one the JWKS does not publish). */
  key?: JWK;
  /** Extra or overriding header members (kid, typ…). */
  header?: Record<string, unknown>;
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresInSeconds?: number;
};

/** A CI-style ID token: iss, aud (the CI audience), sub, iat, exp, jti; `claims` override. */
export async function signIssuerToken(descriptor: LocalIssuerDescriptor, claims: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
  const alg = options.alg ?? 'ES256';
  const jwk = options.key ?? descriptor.keys[alg];
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: descriptor.issuer, aud: CI_AUDIENCE, iat: now - 5, exp: now + (options.expiresInSeconds ?? 300), jti: randomUUID(), ...claims };
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT', ...options.header })
    .sign(await importJWK(jwk, alg));
}

/** An unsecured JWT (`alg: none`): must never be accepted. */
export function unsecuredToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
