import { acrMeets, MERIDIAN_ACR_ORDER } from './acr';
import { deny, type Denial } from './denial';
import { compileEndpointRules, findEndpointRule, type EndpointRule } from './endpoint-rules';
import { createAccessTokenVerifier, type AccessTokenVerifierOptions, type VerifiedAccessToken } from './verify-access-token';

/**
 * Guards a resource server's endpoints with bearer JWT access tokens from one issuer. Usable by
 * any Node service (it needs only `jose`): give it the issuer, this server's audience, the
 * issuer's JWKS and the endpoint rules, then call `authorize` (or `authorizeRequest` with a
 * Web Request) before serving each request.
 *
 * Checks, in order; the first that fails answers (see denial.ts for each answer):
 * 1. an endpoint rule matches the method and path — else 404 (deny by default);
 * 2. a bearer token is present — else 401 with a plain `Bearer realm` challenge;
 * 3. the token verifies (verify-access-token.ts) — else 401 invalid_token;
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
};

export type AuthorizeInput = { method: string; path: string; authorization: string | null | undefined };

export type Grant = { ok: true; endpoint: EndpointRule; token: VerifiedAccessToken };

export type AuthorizeResult = Grant | Denial;

const BEARER = /^Bearer(?:\s+(.*))?$/i;
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
  const nowSeconds = () => Math.floor((options.now?.() ?? new Date()).getTime() / 1000);

  function checkRules(endpoint: EndpointRule, token: VerifiedAccessToken): Denial | undefined {
    if (endpoint.regions && !(token.region && endpoint.regions.includes(token.region))) {
      const where = token.region ? `accounts in ${token.region}` : 'tokens without a user region';
      return deny('region_not_supported', `this endpoint is not available to ${where}`, realm);
    }
    const missing = (endpoint.scopes ?? []).filter((s) => !token.scopes.has(s));
    if (missing.length > 0) {
      return deny('insufficient_scope', `the access token lacks the scope ${missing.join(' ')}`, realm, { scope: (endpoint.scopes ?? []).join(' ') });
    }
    if (endpoint.acr && !acrMeets(token.acr, endpoint.acr, acrOrder)) {
      return deny('insufficient_user_authentication', `a stronger authentication is required (${endpoint.acr})`, realm, {
        acr_values: endpoint.acr,
        max_age: endpoint.maxAgeSeconds,
      });
    }
    if (endpoint.maxAgeSeconds !== undefined && (token.authTime === undefined || nowSeconds() - token.authTime > endpoint.maxAgeSeconds)) {
      return deny('insufficient_user_authentication', 'a more recent authentication is required', realm, {
        acr_values: endpoint.acr,
        max_age: endpoint.maxAgeSeconds,
      });
    }
    return undefined;
  }

  async function authorize({ method, path, authorization }: AuthorizeInput): Promise<AuthorizeResult> {
    const endpoint = findEndpointRule(rules, method, path);
    if (!endpoint) return deny('not_found', 'no such endpoint', realm);
    const bearer = BEARER.exec(authorization?.trim() ?? '');
    if (!bearer) return deny('missing_token', 'a bearer access token is required', realm);
    const jwt = bearer[1]?.trim();
    if (!jwt || !B64TOKEN.test(jwt)) return deny('invalid_request', 'the Authorization header is malformed', realm);
    const verified = await verify(jwt);
    if (!verified.ok) return verified;
    return checkRules(endpoint, verified.token) ?? { ok: true, endpoint, token: verified.token };
  }

  return {
    authorize,
    authorizeRequest: (request) =>
      authorize({ method: request.method, path: new URL(request.url).pathname, authorization: request.headers.get('authorization') }),
  };
}
