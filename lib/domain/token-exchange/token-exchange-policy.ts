/**
 * Token exchange (RFC 8693) policy: may this client turn this subject (and actor) token into a
 * token for this target, and with which scopes? The rules, in order (first failure answers;
 * the rule's id is in the error_description):
 *
 *  1. client-has-policy             the client has a token_exchange policy   → unauthorized_client
 *  2. subject-type-allowed          subject token type in the policy          → invalid_request
 *  3. subject-issuer-allowed        external issuer listed in the policy (its subject rules are
 *                                   the allowlist of external workload tokens) → invalid_request
 *  4. subject-id-token-own-client   our ID token only from the client in its `aud` (an ID token
 *                                   travels in logout URLs and browser history: it is no
 *                                   credential for anyone else)               → invalid_grant
 *  5. subject-access-token-audience our access token: the client's own, or its audience is a
 *                                   resource server in subject_token_audiences → invalid_grant
 *  6. subject-active                the subject's account is active           → invalid_request
 *  7. impersonation-allowed         no actor_token: policy allows impersonation → invalid_request
 *  8. delegation-allowed            actor_token: policy allows delegation     → invalid_request
 *  9. actor-type-allowed            actor token type in the policy            → invalid_request
 * 10. actor-issuer-allowed          external actor issuer listed              → invalid_request
 * 11. actor-id-token-own-client     as 4, for the actor token                 → invalid_grant
 * 12. actor-access-token-audience   as 5, for the actor token                 → invalid_grant
 * 13. actor-active                  the actor's account is active             → invalid_request
 * 14. may-act                       the subject token's may_act names the actor (or, without
 *                                   one, the client)                          → invalid_request
 * 15. target-known                  audience/resource is a resource server    → invalid_target
 * 16. target-permitted              in the policy's audiences and the client's resources → invalid_target
 * 17. target-allowed-for-subject    an external subject's rule, a service account's resources → invalid_target
 * 18. target-region                 the subject's region is one the target serves → invalid_target
 *
 * Scopes then only shrink: the ceiling is the client's resources for the target ∩ the policy's
 * scopes ∩ an external rule's scopes ∩ a service account's resources ∩ (when the subject token
 * is our access token for this same target) its own scopes. A request beyond the ceiling →
 * invalid_scope; no scope requested → the whole ceiling.
 *
 * RFC 8693 §2.2.2: an invalid subject/actor token is `invalid_request`; a token that is valid
 * but not this client's to present (4, 5, 11, 12) is `invalid_grant` (issue 31: the grant it
 * stands for was not given to this client); a target the server will not issue for is
 * `invalid_target`.
 */

export type TokenKind = 'access_token' | 'id_token' | 'jwt';

export type ActClaim = { sub: string; iss?: string; act?: ActClaim };

/** Who a presented token stands for, once resolved to a local identity. */
export type ResolvedIdentity =
  | { kind: 'account'; accountId: string; active: boolean; countryRegionCode: string }
  | { kind: 'service'; clientId: string; resources: Readonly<Record<string, readonly string[]>> };

export type PresentedToken = {
  /** The type the client declared (subject_token_type / actor_token_type). */
  kind: TokenKind;
  /** For our own tokens, what the token really is (a declared `jwt` may be either); undefined for external ones. */
  issuedAs: 'access_token' | 'id_token' | undefined;
  /** undefined for our own tokens; the trusted issuer's name for external ones. */
  trustedIssuer: string | undefined;
  iss: string;
  /** `sub` as written in the token. */
  sub: string;
  audiences: readonly string[];
  /** Our access token's client_id, our ID token's azp (or single aud). */
  clientId: string | undefined;
  /** Our access token's scopes. */
  scopes: readonly string[] | undefined;
  identity: ResolvedIdentity;
  act: ActClaim | undefined;
  mayAct: { sub?: string; iss?: string } | undefined;
  /** For an external subject: what its matching rule allows. */
  ruleAudiences?: readonly string[] | undefined;
  ruleScopes?: readonly string[] | undefined;
};

export type TokenExchangePolicy = {
  subjectTokenTypes: readonly TokenKind[];
  actorTokenTypes: readonly TokenKind[];
  subjectTokenAudiences: readonly string[];
  trustedIssuers: readonly string[];
  audiences: readonly string[];
  scopes: readonly string[] | undefined;
  impersonation: boolean;
  delegation: boolean;
  accessTokenTtlSeconds: number;
};

export type ExchangeTarget = { identifier: string; regions: readonly string[]; accessTokenTtlSeconds: number };

export type ExchangeRequest = {
  /** Our issuer identifier (for may_act without `iss`). */
  issuer: string;
  clientId: string;
  policy: TokenExchangePolicy | undefined;
  /** The client's `resources`: the service permission registry. */
  permittedScopes: Readonly<Record<string, readonly string[]>>;
  subject: PresentedToken;
  actor: PresentedToken | undefined;
  /** Undefined when the requested audience/resource is not one of our resource servers. */
  target: ExchangeTarget | undefined;
  requestedScopes: readonly string[] | undefined;
};

export type ExchangeError = 'invalid_request' | 'invalid_grant' | 'invalid_target' | 'invalid_scope' | 'unauthorized_client';

export type ExchangeDecision =
  | { ok: true; scopes: string[]; ttlSeconds: number }
  | { ok: false; error: ExchangeError; rule: string; description: string };

type Rule = { id: string; error: ExchangeError; description: string; passes(r: ExchangeRequest, p: TokenExchangePolicy): boolean };

function issuerAllowed(p: TokenExchangePolicy, t: PresentedToken): boolean {
  return t.trustedIssuer === undefined || p.trustedIssuers.includes(t.trustedIssuer);
}

/** Our ID token: issued to the calling client (its `aud`, and `azp` when several). External tokens: rules 3 and 17. */
function idTokenOwnClient(r: ExchangeRequest, t: PresentedToken): boolean {
  if (t.issuedAs !== 'id_token') return true;
  return t.audiences.includes(r.clientId) && t.clientId === r.clientId;
}

/** Our access token: the client's own, or for a resource server the policy lists. */
function accessTokenAudienceAccepted(r: ExchangeRequest, p: TokenExchangePolicy, t: PresentedToken): boolean {
  if (t.issuedAs !== 'access_token') return true;
  if (t.clientId === r.clientId) return true;
  return t.audiences.some((aud) => p.subjectTokenAudiences.includes(aud));
}

function identityActive(t: PresentedToken): boolean {
  return t.identity.kind === 'service' || t.identity.active;
}

function mayActSatisfied(r: ExchangeRequest): boolean {
  const mayAct = r.subject.mayAct;
  if (!mayAct) return true;
  const actor = r.actor ? { sub: r.actor.sub, iss: r.actor.iss } : { sub: r.clientId, iss: r.issuer };
  if (mayAct.sub === undefined && mayAct.iss === undefined) return false;
  if (mayAct.sub !== undefined && mayAct.sub !== actor.sub) return false;
  const expectedIss = mayAct.iss ?? r.subject.iss;
  return expectedIss === actor.iss;
}

function targetAllowedForSubject(r: ExchangeRequest): boolean {
  const target = r.target!.identifier;
  const { subject } = r;
  if (subject.ruleAudiences && !subject.ruleAudiences.includes(target)) return false;
  if (subject.identity.kind === 'service' && !(target in subject.identity.resources)) return false;
  return true;
}

export const TOKEN_EXCHANGE_RULES: readonly Rule[] = [
  { id: 'client-has-policy', error: 'unauthorized_client', description: 'the client may not use token exchange', passes: () => true },
  { id: 'subject-type-allowed', error: 'invalid_request', description: 'subject_token_type not accepted from this client', passes: (r, p) => p.subjectTokenTypes.includes(r.subject.kind) },
  { id: 'subject-issuer-allowed', error: 'invalid_request', description: 'subject_token is invalid or not acceptable', passes: (r, p) => issuerAllowed(p, r.subject) },
  {
    id: 'subject-id-token-own-client',
    error: 'invalid_grant',
    description: 'subject_token is an ID token issued to another client',
    passes: (r) => idTokenOwnClient(r, r.subject),
  },
  {
    id: 'subject-access-token-audience',
    error: 'invalid_grant',
    description: 'subject_token is an access token for an audience this client may not exchange',
    passes: (r, p) => accessTokenAudienceAccepted(r, p, r.subject),
  },
  { id: 'subject-active', error: 'invalid_request', description: 'subject_token is invalid or not acceptable', passes: (r) => identityActive(r.subject) },
  { id: 'impersonation-allowed', error: 'invalid_request', description: 'impersonation is not allowed for this client: an actor_token is required', passes: (r, p) => r.actor !== undefined || p.impersonation },
  { id: 'delegation-allowed', error: 'invalid_request', description: 'delegation is not allowed for this client: actor_token not accepted', passes: (r, p) => r.actor === undefined || p.delegation },
  { id: 'actor-type-allowed', error: 'invalid_request', description: 'actor_token_type not accepted from this client', passes: (r, p) => !r.actor || p.actorTokenTypes.includes(r.actor.kind) },
  { id: 'actor-issuer-allowed', error: 'invalid_request', description: 'actor_token is invalid or not acceptable', passes: (r, p) => !r.actor || issuerAllowed(p, r.actor) },
  { id: 'actor-id-token-own-client', error: 'invalid_grant', description: 'actor_token is an ID token issued to another client', passes: (r) => !r.actor || idTokenOwnClient(r, r.actor) },
  {
    id: 'actor-access-token-audience',
    error: 'invalid_grant',
    description: 'actor_token is an access token for an audience this client may not exchange',
    passes: (r, p) => !r.actor || accessTokenAudienceAccepted(r, p, r.actor),
  },
  { id: 'actor-active', error: 'invalid_request', description: 'actor_token is invalid or not acceptable', passes: (r) => !r.actor || identityActive(r.actor) },
  { id: 'may-act', error: 'invalid_request', description: 'the subject_token does not allow this actor (may_act)', passes: (r) => mayActSatisfied(r) },
  { id: 'target-known', error: 'invalid_target', description: 'unknown audience or resource', passes: (r) => r.target !== undefined },
  {
    id: 'target-permitted',
    error: 'invalid_target',
    description: 'the client may not get tokens for this audience',
    passes: (r, p) => p.audiences.includes(r.target!.identifier) && (r.permittedScopes[r.target!.identifier]?.length ?? 0) > 0,
  },
  { id: 'target-allowed-for-subject', error: 'invalid_target', description: 'tokens for this audience cannot be issued for this subject', passes: (r) => targetAllowedForSubject(r) },
  {
    id: 'target-region',
    error: 'invalid_target',
    description: "the audience does not serve the subject's region",
    passes: (r) => r.subject.identity.kind !== 'account' || r.target!.regions.includes(r.subject.identity.countryRegionCode),
  },
];

function intersect(a: readonly string[], b: readonly string[] | undefined): string[] {
  return b === undefined ? [...a] : a.filter((s) => b.includes(s));
}

/** The most a token for the target may carry (rule-ordered as in the header). */
export function scopeCeiling(r: ExchangeRequest, p: TokenExchangePolicy): string[] {
  const target = r.target!.identifier;
  let ceiling = [...(r.permittedScopes[target] ?? [])];
  ceiling = intersect(ceiling, p.scopes);
  ceiling = intersect(ceiling, r.subject.ruleScopes);
  if (r.subject.identity.kind === 'service') ceiling = intersect(ceiling, r.subject.identity.resources[target] ?? []);
  if (r.subject.issuedAs === 'access_token' && r.subject.audiences.includes(target)) {
    ceiling = intersect(ceiling, r.subject.scopes ?? []);
  }
  return ceiling;
}

export function decideTokenExchange(r: ExchangeRequest): ExchangeDecision {
  const p = r.policy;
  if (!p) {
    const rule = TOKEN_EXCHANGE_RULES[0]!;
    return { ok: false, error: rule.error, rule: rule.id, description: rule.description };
  }
  for (const rule of TOKEN_EXCHANGE_RULES) {
    if (!rule.passes(r, p)) return { ok: false, error: rule.error, rule: rule.id, description: rule.description };
  }
  const ceiling = scopeCeiling(r, p);
  const requested = r.requestedScopes;
  if (requested !== undefined) {
    const beyond = requested.filter((s) => !ceiling.includes(s));
    if (beyond.length > 0) return { ok: false, error: 'invalid_scope', rule: 'scope-ceiling', description: `scope not allowed: ${beyond.join(' ')}` };
  }
  const scopes = requested === undefined ? ceiling : [...new Set(requested)];
  const ttlSeconds = Math.min(p.accessTokenTtlSeconds, r.target!.accessTokenTtlSeconds);
  return { ok: true, scopes, ttlSeconds };
}

/**
 * The `act` claim of the new token: with an actor, the actor, and inside it the subject token's
 * own `act` (the earlier actors, RFC 8693 §4.1); without one (impersonation), the subject
 * token's chain as it was, so a delegated token never loses its actors.
 */
export function actClaimFor(subjectAct: ActClaim | undefined, actor: { sub: string; iss?: string } | undefined): ActClaim | undefined {
  if (!actor) return subjectAct;
  return { ...actor, ...(subjectAct ? { act: subjectAct } : {}) };
}
