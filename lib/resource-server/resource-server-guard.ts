import { acrMeets, MERIDIAN_ACR_ORDER } from './acr';
import { deny, type Challenge, type Denial } from './denial';
import { createMemoryReplayCache, type DpopReplayCache } from './dpop-replay-cache';
import { compileEndpointRules, findEndpointRule, type EndpointRule } from './endpoint-rules';
import { createAccessTokenVerifier, type AccessTokenVerifierOptions, type VerifiedAccessToken } from './verify-access-token';
import { createDpopProofVerifier, DPOP_ALGORITHMS } from './verify-dpop-proof';

/**
 * Guards a resource server's endpoints with bearer JWT access tokens from one issuer. Usable by
 * any Node service (it needs only `jose`): give it the issuer, this server's audience, the
 * issuer's JWKS and the endpoint rules, then call `authorize` (or `authorizeRequest` with a
 * Web Request) before serving each request.
 *
 * Checks, in order; the first that fails answers (see denial.ts for each answer):
 * 1. an endpoint rule matches the method and path — else 404 (deny by default);
 * 2. a token is present (`Authorization: Bearer …` or `DPoP …`) — else 401 with a plain
 *    `Bearer realm` challenge (`DPoP realm, algs` where the endpoint requires DPoP);
 * 3. the token verifies (verify-access-token.ts) — else 401 invalid_token;
 * 3b. DPoP (RFC 9449): an endpoint with `dpop: required` takes only DPoP-bound tokens; a
 *    DPoP-bound token (`cnf.jkt`) must come with the DPoP scheme and a valid proof
 *    (verify-dpop-proof.ts) — else 401 invalid_token / invalid_dpop_proof; a bearer token sent
 *    with the DPoP scheme is refused too. Refusals of DPoP requests carry a `DPoP` challenge;
 * 4. the user's region is one of the endpoint's regions — else 403 region_not_supported
 *    (first among the rules because no re-authorization can fix it);
 * 5. the token has every scope of the endpoint — else 403 insufficient_scope;
 * 6. the authentication is strong and recent enough (acr, max_age) — else 401
 *    insufficient_user_authentication with acr_values / max_age (RFC 9470), so the client can
 *    send the user through a step-up authorization.
 */

export type ResourceServerGuardOptions = AccessTokenVerifierOptions & {
  endpoints: readonly EndpointRule[];
  /** The `realm` of challenges; default the audience. */
  realm?: string;
  /** acr values from weakest to strongest; default Meridian's. */
  acrOrder?: readonly string[];
  /**
   * The origin clients call this server at (e.g. `https://api.example.com`): a DPoP proof's `htu`
   * must be it plus the request path. Set it behind a proxy; default the request URL's origin.
   */
  publicOrigin?: string;
  /** DPoP proof algorithms accepted (default DPOP_ALGORITHMS), listed as `algs` in challenges. */
  dpopAlgorithms?: readonly string[];
  /** How far a proof's `iat` may be from now, either way (default 60 s, plus `clockToleranceSeconds`). */
  dpopMaxAgeSeconds?: number;
  /** Where used proof ids are remembered (default: in this process, 100 000 at most). */
  dpopReplayCache?: DpopReplayCache;
};

export type AuthorizeInput = {
  method: string;
  path: string;
  authorization: string | null | undefined;
  /** The `DPoP` header. */
  dpop?: string | null;
  /** The absolute request URL, for a DPoP proof's `htu` when `publicOrigin` is not set. */
  url?: string;
};

export type Grant = { ok: true; endpoint: EndpointRule; token: VerifiedAccessToken };

export type AuthorizeResult = Grant | Denial;

const CREDENTIALS = /^(Bearer|DPoP)(?:\s+(.*))?$/i;
/** RFC 6750 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export type ResourceServerGuard = {
  authorize(input: AuthorizeInput): Promise<AuthorizeResult>;
  authorizeRequest(request: Request): Promise<AuthorizeResult>;
};

export function createResourceServerGuard(options: ResourceServerGuardOptions): ResourceServerGuard {
  const realm = options.realm ?? options.audience;
  const acrOrder = options.acrOrder ?? MERIDIAN_ACR_ORDER;
  const rules = compileEndpointRules(options.endpoints);
  // Fail at start, not on the first request, when a rule names an acr we cannot order.
  for (const { rule } of rules) if (rule.acr && !acrOrder.includes(rule.acr)) throw new Error(`endpoint ${rule.path}: unknown acr "${rule.acr}"`);
  const verify = createAccessTokenVerifier({ ...options, realm });
  const dpopAlgorithms = options.dpopAlgorithms ?? DPOP_ALGORITHMS;
  const verifyProof = createDpopProofVerifier({
    algorithms: dpopAlgorithms,
    maxAgeSeconds: options.dpopMaxAgeSeconds,
    clockToleranceSeconds: options.clockToleranceSeconds,
    replayCache: options.dpopReplayCache ?? createMemoryReplayCache(),
    now: options.now,
  });
  const publicOrigin = options.publicOrigin === undefined ? undefined : new URL(options.publicOrigin).origin;
  const dpopChallenge: Challenge = { realm, scheme: 'DPoP', algs: dpopAlgorithms };
  const nowSeconds = () => Math.floor((options.now?.() ?? new Date()).getTime() / 1000);

  function checkRules(endpoint: EndpointRule, token: VerifiedAccessToken, to: Challenge): Denial | undefined {
    if (endpoint.regions && !(token.region && endpoint.regions.includes(token.region))) {
      const where = token.region ? `accounts in ${token.region}` : 'tokens without a user region';
      return deny('region_not_supported', `this endpoint is not available to ${where}`, to);
    }
    const missing = (endpoint.scopes ?? []).filter((s) => !token.scopes.has(s));
    if (missing.length > 0) {
      return deny('insufficient_scope', `the access token lacks the scope ${missing.join(' ')}`, to, { scope: (endpoint.scopes ?? []).join(' ') });
    }
    if (endpoint.acr && !acrMeets(token.acr, endpoint.acr, acrOrder)) {
      return deny('insufficient_user_authentication', `a stronger authentication is required (${endpoint.acr})`, to, {
        acr_values: endpoint.acr,
        max_age: endpoint.maxAgeSeconds,
      });
    }
    if (endpoint.maxAgeSeconds !== undefined && (token.authTime === undefined || nowSeconds() - token.authTime > endpoint.maxAgeSeconds)) {
      return deny('insufficient_user_authentication', 'a more recent authentication is required', to, {
        acr_values: endpoint.acr,
        max_age: endpoint.maxAgeSeconds,
      });
    }
    return undefined;
  }

  /** Rule 3b: the token's binding against the scheme, the endpoint and the proof. */
  async function checkDpop(input: AuthorizeInput, endpoint: EndpointRule, scheme: 'Bearer' | 'DPoP', jwt: string, token: VerifiedAccessToken): Promise<Denial | undefined> {
    if (token.jkt === undefined) {
      if (scheme === 'DPoP') return deny('invalid_token', 'the access token is not DPoP-bound: send it with the Bearer scheme', dpopChallenge);
      if (endpoint.dpop === 'required') return deny('invalid_token', 'this endpoint requires a DPoP-bound access token', dpopChallenge);
      return undefined;
    }
    if (scheme !== 'DPoP') return deny('invalid_token', 'a DPoP-bound access token must be sent with the DPoP scheme and a DPoP proof', dpopChallenge);
    const url = publicOrigin === undefined ? input.url : `${publicOrigin}${input.path}`;
    if (url === undefined) throw new Error('the guard needs publicOrigin or the request url to check DPoP proofs');
    const proof = await verifyProof({ proof: input.dpop, method: input.method, url, accessToken: jwt, jkt: token.jkt });
    return proof.ok ? undefined : deny(proof.error, proof.description, dpopChallenge);
  }

  async function authorize(input: AuthorizeInput): Promise<AuthorizeResult> {
    const { method, path, authorization } = input;
    const endpoint = findEndpointRule(rules, method, path);
    if (!endpoint) return deny('not_found', 'no such endpoint', realm);
    const credentials = CREDENTIALS.exec(authorization?.trim() ?? '');
    if (!credentials) return deny('missing_token', 'an access token is required', endpoint.dpop === 'required' ? dpopChallenge : realm);
    const scheme = credentials[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
    const to = scheme === 'DPoP' || endpoint.dpop === 'required' ? dpopChallenge : realm;
    const jwt = credentials[2]?.trim();
    if (!jwt || !B64TOKEN.test(jwt)) return deny('invalid_request', 'the Authorization header is malformed', to);
    const verified = await verify(jwt);
    // The verifier's refusals name the realm only; the challenge follows this request's scheme.
    if (!verified.ok) return verified.error === 'invalid_token' ? deny('invalid_token', verified.description, to) : verified;
    const binding = await checkDpop(input, endpoint, scheme, jwt, verified.token);
    if (binding) return binding;
    return checkRules(endpoint, verified.token, verified.token.jkt === undefined ? to : dpopChallenge) ?? { ok: true, endpoint, token: verified.token };
  }

  return {
    authorize,
    authorizeRequest: (request) => {
      const url = new URL(request.url);
      return authorize({
        method: request.method,
        path: url.pathname,
        authorization: request.headers.get('authorization'),
        dpop: request.headers.get('dpop'),
        url: `${url.origin}${url.pathname}`,
      });
    },
  };
}
