import { decodeJwt, errors as joseErrors, type JWTPayload } from 'jose';
import type { Account } from '../../domain/accounts/account';
import type { ActClaim, PresentedToken, ResolvedIdentity, TokenKind } from '../../domain/token-exchange/token-exchange-policy';
import type { PairwiseRuntime } from '../pairwise';
import { looksLikeAccessToken, type OwnTokenVerifier } from './own-token-verifier';
import type { TrustedIssuers } from './trusted-issuers';

/**
 * Reads a subject_token or actor_token: verifies it and resolves whom it stands for. Rules:
 * 1. a compact JWS with a string `iss`; nothing else is a token we accept;
 * 2. our issuer: `typ: at+jwt` → our access token (type access_token or jwt); otherwise → our ID
 *    token (type id_token or jwt);
 * 3. any other issuer must be a trusted issuer (type jwt or id_token), its subject must match a
 *    rule, and it must not carry `act` (a foreign delegation chain is not ours to extend);
 * 4. the subject resolves to a local identity: a configured client's id is a service; otherwise
 *    the `sub` is read in the namespace of the token's audience (access token: the resource
 *    server; ID token: the client) and must lead to an existing account; an external rule names
 *    a service account or an account by email;
 * any failure is an InvalidPresentedToken (the grant answers invalid_request, RFC 8693 §2.2.2);
 * whose token it is to present is the policy's question (token-exchange-policy.ts, rules 4, 5).
 */

export class InvalidPresentedToken extends Error {
  override name = 'InvalidPresentedToken';
}

/** What the new token carries over from the subject token (our tokens only). */
export type CarriedClaims = { acr?: string; amr?: string[]; auth_time?: number; country_region_code?: string };

export type ReadToken = PresentedToken & { carried: CarriedClaims };

export type PresentedTokenReaderDeps = {
  issuer: string;
  own: OwnTokenVerifier;
  trusted: TrustedIssuers;
  /** A configured client's `resources`, or undefined when there is no such client. */
  clientResources(clientId: string): Readonly<Record<string, readonly string[]>> | undefined;
  pairwise: PairwiseRuntime;
  findAccountById(id: string): Promise<Account | null>;
  findAccountByEmail(email: string): Promise<Account | null>;
};

const MAX_ACT_DEPTH = 8;

function parseAct(value: unknown, depth = 0): ActClaim | undefined {
  if (value === undefined) return undefined;
  if (depth >= MAX_ACT_DEPTH || typeof value !== 'object' || value === null) throw new InvalidPresentedToken('malformed act');
  const v = value as Record<string, unknown>;
  if (typeof v.sub !== 'string' || (v.iss !== undefined && typeof v.iss !== 'string')) throw new InvalidPresentedToken('malformed act');
  const nested = parseAct(v.act, depth + 1);
  return { sub: v.sub, ...(typeof v.iss === 'string' ? { iss: v.iss } : {}), ...(nested ? { act: nested } : {}) };
}

function parseMayAct(value: unknown): PresentedToken['mayAct'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new InvalidPresentedToken('malformed may_act');
  const v = value as Record<string, unknown>;
  return { ...(typeof v.sub === 'string' ? { sub: v.sub } : {}), ...(typeof v.iss === 'string' ? { iss: v.iss } : {}) };
}

function audiencesOf(payload: JWTPayload): string[] {
  return typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud.filter((a) => typeof a === 'string') : [];
}

function carriedClaims(payload: JWTPayload, account: Account | undefined): CarriedClaims {
  const out: CarriedClaims = {};
  if (typeof payload.acr === 'string') out.acr = payload.acr;
  if (Array.isArray(payload.amr) && payload.amr.every((a) => typeof a === 'string')) out.amr = payload.amr as string[];
  if (typeof payload.auth_time === 'number') out.auth_time = payload.auth_time;
  const region = typeof payload.country_region_code === 'string' ? payload.country_region_code : account?.countryRegionCode;
  if (region) out.country_region_code = region;
  return out;
}

function accountIdentity(account: Account): ResolvedIdentity {
  return { kind: 'account', accountId: account.id, active: account.status === 'active', countryRegionCode: account.countryRegionCode };
}

export function createPresentedTokenReader(deps: PresentedTokenReaderDeps) {
  /** sub in a namespace → the account (disabled accounts are returned: the policy refuses them). */
  async function accountFor(namespace: ReturnType<PairwiseRuntime['namespaceOf']>, sub: string): Promise<Account> {
    if (!namespace) throw new InvalidPresentedToken('audience has no subject namespace');
    const accountId = await deps.pairwise.subjects.candidateAccountIdFor(namespace, sub);
    const account = accountId === undefined ? null : await deps.findAccountById(accountId);
    if (!account) throw new InvalidPresentedToken('unknown subject');
    return account;
  }

  async function readOwn(jwt: string, kind: TokenKind, payloadIss: string): Promise<ReadToken> {
    const isAccessToken = looksLikeAccessToken(jwt);
    if (isAccessToken ? kind === 'id_token' : kind === 'access_token') throw new InvalidPresentedToken(`not a ${kind}`);
    const payload = isAccessToken ? await deps.own.verifyAccessToken(jwt) : await deps.own.verifyIdToken(jwt);
    const sub = payload.sub!;
    const audiences = audiencesOf(payload);
    let clientId: string | undefined;
    let identity: ResolvedIdentity;
    let account: Account | undefined;
    if (isAccessToken) {
      clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
      const serviceResources = deps.clientResources(sub);
      if (serviceResources) identity = { kind: 'service', clientId: sub, resources: serviceResources };
      else {
        if (audiences.length !== 1) throw new InvalidPresentedToken('access token without a single audience');
        account = await accountFor(deps.pairwise.resourceServerNamespace(audiences[0]!), sub);
        identity = accountIdentity(account);
      }
    } else {
      clientId = typeof payload.azp === 'string' ? payload.azp : audiences.length === 1 ? audiences[0] : undefined;
      if (!clientId) throw new InvalidPresentedToken('ID token without azp for several audiences');
      account = await accountFor(deps.pairwise.clientNamespace(clientId), sub);
      identity = accountIdentity(account);
    }
    return {
      kind,
      issuedAs: isAccessToken ? 'access_token' : 'id_token',
      trustedIssuer: undefined,
      iss: payloadIss,
      sub,
      audiences,
      clientId,
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : undefined,
      identity,
      act: parseAct(payload.act),
      mayAct: parseMayAct(payload.may_act),
      carried: identity.kind === 'account' ? carriedClaims(payload, account) : {},
    };
  }

  async function readExternal(jwt: string, kind: TokenKind, iss: string): Promise<ReadToken> {
    const issuer = deps.trusted.find(iss);
    if (!issuer) throw new InvalidPresentedToken('untrusted issuer');
    if (kind === 'access_token') throw new InvalidPresentedToken('external tokens are exchanged as jwt or id_token');
    const payload = await deps.trusted.verify(issuer, jwt);
    if (payload.act !== undefined) throw new InvalidPresentedToken('external token carries act');
    const rule = issuer.matchSubject(payload);
    if (!rule) throw new InvalidPresentedToken('subject not allowed');
    let identity: ResolvedIdentity;
    let account: Account | undefined;
    if (rule.serviceAccount !== undefined) {
      const resources = deps.clientResources(rule.serviceAccount);
      if (!resources) throw new InvalidPresentedToken('unknown service account');
      identity = { kind: 'service', clientId: rule.serviceAccount, resources };
    } else {
      account = (await deps.findAccountByEmail(rule.accountEmail!)) ?? undefined;
      if (!account) throw new InvalidPresentedToken('unknown account');
      identity = accountIdentity(account);
    }
    return {
      kind,
      issuedAs: undefined,
      trustedIssuer: issuer.config.name,
      iss,
      sub: payload.sub!,
      audiences: audiencesOf(payload),
      clientId: undefined,
      scopes: undefined,
      identity,
      act: undefined,
      mayAct: parseMayAct(payload.may_act),
      ruleAudiences: rule.audiences,
      ruleScopes: rule.scopes,
      carried: account ? { country_region_code: account.countryRegionCode } : {},
    };
  }

  /** Verifies and resolves a presented token; throws InvalidPresentedToken (with the reason). */
  return async function readPresentedToken(jwt: string, kind: TokenKind): Promise<ReadToken> {
    let iss: unknown;
    try {
      if (jwt.split('.').length !== 3) throw new Error('not a compact JWS');
      iss = decodeJwt(jwt).iss;
    } catch (e) {
      throw new InvalidPresentedToken('not a JWT', { cause: e });
    }
    if (typeof iss !== 'string') throw new InvalidPresentedToken('no issuer');
    try {
      return iss === deps.issuer ? await readOwn(jwt, kind, iss) : await readExternal(jwt, kind, iss);
    } catch (e) {
      // jose's verdicts (signature, expiry, audience, algorithm, unknown kid …) are the token's
      // fault; anything else (database, an issuer's JWKS unreachable) is ours: a server error.
      if (e instanceof joseErrors.JOSEError) throw new InvalidPresentedToken(`${e.code}: ${e.message}`, { cause: e });
      throw e;
    }
  };
}

export type PresentedTokenReader = ReturnType<typeof createPresentedTokenReader>;
