import type Provider from 'oidc-provider';
import { errors, type TokenEndpointGrantContext } from 'oidc-provider';
import type { IdpConfig } from '../../config/idp-config-schema';
import { TOKEN_EXCHANGE_GRANT_TYPE, TOKEN_TYPE_URNS, type TokenExchangePolicyConfig } from '../../config/schema/token-exchange-schema';
import type { AccountRepository } from '../../domain/accounts/account-repository';
import {
  actClaimFor,
  decideTokenExchange,
  type ExchangeDecision,
  type ResolvedIdentity,
  type TokenExchangePolicy,
} from '../../domain/token-exchange/token-exchange-policy';
import type { PairwiseRuntime } from '../pairwise';
import { createResourceServerInfo } from '../resource-servers';
import { OwnTokenVerifier } from '../subject-tokens/own-token-verifier';
import { createPresentedTokenReader, InvalidPresentedToken, type ReadToken } from '../subject-tokens/read-presented-token';
import { TrustedIssuers } from '../subject-tokens/trusted-issuers';
import { markExchangeIssuance } from './token-exchange-issuance';
import { parseTokenExchangeParams, TOKEN_EXCHANGE_PARAMETERS, TOKEN_EXCHANGE_REPEATABLE } from './token-exchange-params';

/**
 * The token-exchange grant (RFC 8693), registered on the provider after construction. Steps:
 * 1. confidential clients only (client authentication already ran; a public one → invalid_client);
 * 2. parameters (token-exchange-params.ts);
 * 3. subject_token and actor_token verified and resolved to local identities
 *    (subject-tokens/read-presented-token.ts) → invalid_request on any failure (§2.2.2);
 * 4. the policy decides (lib/domain/token-exchange/token-exchange-policy.ts); a refusal names
 *    its rule in error_description;
 * 5. a JWT access token for the target, minted like client credentials tokens (same resource
 *    server info, same permission registry), short-lived, no refresh token; `sub` is the
 *    subject as the target knows it (its PPID when pairwise), `act` names the actor(s).
 */

export type TokenExchangeDeps = {
  issuer: string;
  idp: IdpConfig;
  pairwise: PairwiseRuntime;
  accounts: Pick<AccountRepository, 'findById' | 'findByEmail'>;
  /** Defaults to our published keys from the signing_keys table. */
  ownTokens: OwnTokenVerifier;
};

function toPolicy(c: TokenExchangePolicyConfig): TokenExchangePolicy {
  return {
    subjectTokenTypes: c.subject_token_types,
    actorTokenTypes: c.actor_token_types,
    subjectTokenAudiences: c.subject_token_audiences,
    trustedIssuers: c.trusted_issuers,
    audiences: c.audiences,
    scopes: c.scopes,
    impersonation: c.impersonation,
    delegation: c.delegation,
    accessTokenTtlSeconds: c.access_token_ttl_seconds,
  };
}

/** The policy's refusal as an OAuth error whose error_description names the rule. */
function refusal(decision: Extract<ExchangeDecision, { ok: false }>): Error {
  const description = `${decision.description} (rule ${decision.rule})`;
  switch (decision.error) {
    case 'invalid_target':
      return new errors.InvalidTarget(description);
    case 'invalid_scope':
      return new errors.InvalidScope(description, decision.description.replace(/^[^:]*: /, ''));
    case 'unauthorized_client':
      return new errors.UnauthorizedClient(description);
    case 'invalid_grant':
      // InvalidGrant has a fixed description; ours says which rule refused.
      return Object.assign(new errors.InvalidGrant(`rule ${decision.rule}`), { error_description: description });
    default:
      return new errors.InvalidRequest(description, undefined, { detail: `rule ${decision.rule}` });
  }
}

export function createTokenExchangeHandler(deps: TokenExchangeDeps) {
  const { idp, pairwise, issuer } = deps;
  const clients = new Map(idp.clients.map((c) => [c.client_id, c]));
  const policies = new Map(idp.clients.flatMap((c) => (c.token_exchange ? [[c.client_id, toPolicy(c.token_exchange)] as const] : [])));
  const resourceServers = new Map(idp.resource_servers.map((rs) => [rs.identifier, rs]));
  const resourceServerInfo = createResourceServerInfo(idp);
  const readPresentedToken = createPresentedTokenReader({
    issuer,
    own: deps.ownTokens,
    trusted: new TrustedIssuers(idp.trusted_issuers),
    clientResources: (clientId) => clients.get(clientId)?.resources,
    pairwise,
    findAccountById: (id) => deps.accounts.findById(id),
    findAccountByEmail: (email) => deps.accounts.findByEmail(email),
  });

  async function read(token: string, kind: ReadToken['kind'], role: 'subject_token' | 'actor_token'): Promise<ReadToken> {
    try {
      return await readPresentedToken(token, kind);
    } catch (e) {
      if (e instanceof InvalidPresentedToken) throw new errors.InvalidRequest(`${role} is invalid or not acceptable`, undefined, { detail: e.message });
      throw e;
    }
  }

  /** The subject (or actor) as the target resource server knows it. */
  function subjectAtTarget(identity: ResolvedIdentity, target: string): Promise<string> | string {
    if (identity.kind === 'service') return identity.clientId;
    const namespace = pairwise.resourceServerNamespace(target);
    if (!namespace) throw new Error(`resource server ${target} has no subject namespace`);
    return pairwise.subjects.subjectFor(namespace, identity.accountId);
  }

  return async function tokenExchangeHandler(ctx: TokenEndpointGrantContext): Promise<void> {
    const { client, provider } = ctx.oidc;
    if (client.clientAuthMethod === 'none') throw new errors.InvalidClient('token exchange needs an authenticated (confidential) client');
    const params = parseTokenExchangeParams(ctx.oidc.params);

    const subject = await read(params.subjectToken, params.subjectKind, 'subject_token');
    const actor = params.actorToken ? await read(params.actorToken, params.actorKind!, 'actor_token') : undefined;
    const rs = resourceServers.get(params.target);
    const decision = decideTokenExchange({
      issuer,
      clientId: client.clientId,
      policy: policies.get(client.clientId),
      permittedScopes: clients.get(client.clientId)?.resources ?? {},
      subject,
      actor,
      target: rs ? { identifier: rs.identifier, regions: rs.regions, accessTokenTtlSeconds: rs.access_token_ttl_seconds } : undefined,
      requestedScopes: params.requestedScopes,
    });
    if (!decision.ok) throw refusal(decision);

    // Same resource server info (format, signing, permission check) as client credentials.
    const info = await resourceServerInfo(ctx, params.target, client);
    const sub = await subjectAtTarget(subject.identity, params.target);
    const actorClaim = actor ? { sub: await subjectAtTarget(actor.identity, params.target) } : undefined;
    const act = actClaimFor(subject.act, actorClaim);
    const claims: Record<string, unknown> = { ...subject.carried, ...(act ? { act } : {}) };
    const scope = decision.scopes.join(' ') || undefined;

    const token = new provider.AccessToken({
      client,
      // Only an account has one; a service subject's token is the client's (sub set below).
      accountId: subject.identity.kind === 'account' ? subject.identity.accountId : (undefined as unknown as string),
      grantId: undefined as unknown as string,
      gty: TOKEN_EXCHANGE_GRANT_TYPE,
      scope,
      expiresIn: decision.ttlSeconds,
    });
    token.resourceServer = new provider.ResourceServer(params.target, info);
    markExchangeIssuance(token, { sub, claims });
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();

    ctx.body = {
      access_token: value,
      issued_token_type: TOKEN_TYPE_URNS.access_token,
      token_type: token.tokenType,
      expires_in: decision.ttlSeconds,
      ...(scope ? { scope } : {}),
    };
  };
}

/** Registers the grant; call once, right after constructing the provider. */
export function registerTokenExchange(provider: Provider, deps: TokenExchangeDeps): void {
  provider.registerGrantType(TOKEN_EXCHANGE_GRANT_TYPE, createTokenExchangeHandler(deps), TOKEN_EXCHANGE_PARAMETERS, TOKEN_EXCHANGE_REPEATABLE);
}
